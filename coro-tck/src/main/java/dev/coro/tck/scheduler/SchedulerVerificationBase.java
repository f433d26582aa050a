package dev.coro.tck.scheduler;

import dev.coro.Coro;
import dev.coro.Scheduler;
import dev.coro.spi.SwitchProvider;
import dev.coro.tck.RuleNamingExtension;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Shared helpers of the example-based scheduler verifications. A backend's test class gives the
 * backend through {@link #schedulerBuilder()}. Coros log to {@link #trace}; {@link #runVirtual} runs
 * a main under virtual time and checks that no coro outlived it. Invariant: every test is named
 * after the rule it checks, and {@link RuleNamingExtension} puts that rule in front of any failure,
 * bounds it by {@link #hangBound()} and reports resource exhaustion as a failure of that rule.
 */
@ExtendWith(RuleNamingExtension.class)
public abstract class SchedulerVerificationBase {

    /** Entries appended by coros, in the order they happened. */
    protected final List<String> trace = new CopyOnWriteArrayList<>();
    /** Failures the uncaught handler received. */
    protected final List<Throwable> uncaught = new CopyOnWriteArrayList<>();
    protected final List<String> uncaughtCoros = new CopyOnWriteArrayList<>();

    /**
     * A fresh builder for the backend under test, e.g. {@code Scheduler.builder().switcher("native")}.
     * Called once per scheduler; the kit adds virtual time, handlers and limits itself.
     */
    protected abstract Scheduler.Builder schedulerBuilder();

    /** How long one test may take before it counts as hung. A bound on a hang, not a timing assertion. */
    protected Duration hangBound() {
        return Duration.ofSeconds(60);
    }

    /** How long threads a finished run leaves get to end before they count as left behind (rule 8). */
    protected Duration closeBound() {
        return Duration.ofSeconds(10);
    }

    /**
     * The most coros the backend under test declares it can hold at once
     * ({@link SwitchProvider#maxLiveCoroutines()} of the switch backend the builder picks); the kit's
     * many-coro checks scale to it.
     */
    protected int maxLiveCoroutines() {
        String name;
        try (Scheduler s = schedulerBuilder().virtualTime().build()) {
            name = s.switcherName();
        }
        for (SwitchProvider p : ServiceLoader.load(SwitchProvider.class, Thread.currentThread().getContextClassLoader())) {
            if (p.name().equals(name)) {
                return Math.max(1, p.maxLiveCoroutines());
            }
        }
        return Integer.MAX_VALUE;
    }

    /** {@link #schedulerBuilder()} with an uncaught handler that records into {@link #uncaught}. */
    protected Scheduler.Builder builder() {
        BiConsumer<Coro<?>, Throwable> handler = (c, t) -> {
            uncaughtCoros.add(c.name());
            uncaught.add(t);
        };
        return schedulerBuilder().uncaughtExceptionHandler(handler);
    }

    protected Scheduler virtual() {
        return builder().virtualTime().build();
    }

    /** Runs {@code main} on a fresh virtual-time scheduler and checks nothing leaked. */
    protected <T> T runVirtual(Callable<T> main) {
        return runChecked(virtual(), main);
    }

    /** Runs {@code main} on {@code s}; afterwards no coro may be left (stats report those the run abandoned). */
    protected <T> T runChecked(Scheduler s, Callable<T> main) {
        T result = s.run(main);
        assertEquals(0, s.stats().liveCoros(), "coros abandoned at the end of the run");
        return result;
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

    protected static int timers(Scheduler s) {
        return s.stats().timerHeapSize();
    }

    protected static List<String> list(String... items) {
        return new ArrayList<>(List.of(items));
    }
}
