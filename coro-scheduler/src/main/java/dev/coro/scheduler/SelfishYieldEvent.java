package dev.coro.scheduler;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.Throttle;

/**
 * JFR event for a selfish-act yield (SPEC.md rule 9): a coro whose last socket operations all
 * completed without blocking gave way before its next one. The event spans the yield, from giving
 * way to running again; its stack trace shows the I/O call that yielded. Throttled to 100 events a
 * second by default (JFR's {@code throttle} setting): a busy server yields often.
 */
@Name("dev.coro.SelfishYield")
@Label("Coro Selfish-Act Yield")
@Category("coro")
@Description("A coro yielded after socket operations that all completed without blocking")
@Throttle("100/s")
final class SelfishYieldEvent extends jdk.jfr.Event {
    @Label("Coro id")
    long coroId;
    @Label("Coro name")
    String coroName;
    @Label("Selfish acts")
    @Description("Socket operations in a row that completed without blocking")
    int acts;

    /** Ends the event as {@code c}, which yielded after {@code acts} selfish acts, runs again. */
    void report(CoroImpl<?> c, int acts) {
        end();
        if (shouldCommit()) {
            this.coroId = c.id();
            this.coroName = c.name();
            this.acts = acts;
            commit();
        }
    }
}
