package dev.coro.scheduler;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.SettingDefinition;
import jdk.jfr.Timespan;

/**
 * JFR event for a coro that lived longer than a threshold, committed as it ends. Its lifetime, from
 * spawn to end on the scheduler's clock (virtual under virtual time), is a field rather than the
 * event's duration: a duration event would have to be made at every spawn and kept by the coro,
 * which costs an allocation per spawn when JFR is off. So the threshold is a setting of its own,
 * {@code minLifetime} (default 1 s), set like any setting of a recording (e.g.
 * {@code recording.enable("dev.coro.CoroLifetime").with("minLifetime", "100 ms")}).
 */
@Name("dev.coro.CoroLifetime")
@Label("Coro Lifetime")
@Category("coro")
@Description("A coro ended after living longer than the minLifetime setting")
final class CoroLifetimeEvent extends jdk.jfr.Event {
    @Label("Coro id")
    long coroId;
    @Label("Coro name")
    String coroName;
    @Label("Lifetime")
    @Timespan
    long lifetime;
    @Label("Failed")
    @Description("The coro ended by an exception (a shutdown included)")
    boolean failed;

    @Label("Minimum lifetime")
    @Description("Coros that lived less are not recorded")
    @Name("minLifetime")
    @SettingDefinition
    boolean minLifetime(JfrDurationSetting.OneSecond setting) {
        return lifetime >= setting.nanos;
    }

    /** Commits this event for {@code c}, which is ending, if the event is on and it lived long enough. */
    void report(CoroImpl<?> c) {
        if (isEnabled()) {
            lifetime = c.loop.owner.clockNow() - c.spawnedAt;
            if (shouldCommit()) {
                coroId = c.id();
                coroName = c.name();
                failed = c.failure() != null;
                commit();
            }
        }
    }
}
