package dev.coro.tck.sync;

import dev.coro.tck.Rule;
import dev.coro.tck.RuleNamingExtension;
import dev.coro.Coro;
import dev.coro.CoroInterruptedException;
import dev.coro.CoroTimeoutException;
import dev.coro.Scheduler;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Shared helpers of the dev.coro.sync verifications. A backend's test class gives the backend through
 * {@link #schedulerBuilder()}; the kit adds virtual time itself, so every sleep and timeout is exact
 * and no test depends on real timing. Coros log to {@link #trace} as {@code what@ms}. Invariant: every
 * test is named after the {@link Rule} it checks, and {@link RuleNamingExtension} names that rule in
 * any failure; {@link #runVirtual} fails if a coro outlived the run or a coro failure went uncaught.
 */
@ExtendWith(RuleNamingExtension.class)
public abstract class SyncVerificationBase {
    protected final List<String> trace = new CopyOnWriteArrayList<>();
    protected final List<Throwable> uncaught = new CopyOnWriteArrayList<>();

    /** A fresh builder for the backend under test, e.g. {@code Scheduler.builder().switcher("native")}. */
    protected abstract Scheduler.Builder schedulerBuilder();

    /** The backend's builder with virtual time and an uncaught handler that records into {@link #uncaught}. */
    protected Scheduler.Builder virtualTime() {
        return schedulerBuilder().virtualTime().uncaughtExceptionHandler((c, t) -> uncaught.add(t));
    }

    /** Runs {@code main} under virtual time; afterwards no coro may be left and nothing may have gone uncaught. */
    protected <T> T runVirtual(Callable<T> main) {
        Scheduler s = virtualTime().build();
        try {
            T result = s.run(main);
            assertEquals(0, s.stats().liveCoros(), "coros outlived the run");
            assertEquals(List.of(), uncaught, "coro failures reached the uncaught handler");
            return result;
        } finally {
            s.close();
        }
    }

    protected void log(String what) {
        trace.add(what);
    }

    /** Logs {@code what@<virtual ms>}. */
    protected void logAt(String what) {
        trace.add(what + "@" + Coro.now() / 1_000_000);
    }

    protected static Duration ms(long n) {
        return Duration.ofMillis(n);
    }

    /** Runs {@code wait} in the calling coro and logs how it ended: {@code name ok@t}, {@code name timeout@t} or {@code name interrupted(v)@t}. */
    protected void logged(String name, Runnable wait) {
        try {
            wait.run();
            logAt(name + " ok");
        } catch (CoroTimeoutException e) {
            logAt(name + " timeout");
        } catch (CoroInterruptedException e) {
            logAt(name + " interrupted(" + e.value() + ")");
        }
    }

    /** Sleeps {@code n} virtual ms. */
    protected static void sleep(long n) {
        Coro.sleep(ms(n));
    }

    /** Lets every coro that is runnable now run (a yield: they run before this coro resumes). */
    protected static void settle() {
        Coro.yieldSlice();
    }
}
