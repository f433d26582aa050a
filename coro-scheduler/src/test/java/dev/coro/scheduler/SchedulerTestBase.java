package dev.coro.scheduler;

import dev.coro.Coro;
import dev.coro.Scheduler;
import org.junit.jupiter.params.Parameter;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Shared helpers for the scheduler tests that run once per switch backend ({@link OnEverySwitch}).
 * Coros log to {@link #trace}; {@link #runVirtual} runs a main under virtual time and checks that
 * no coro or timer outlived it.
 */
abstract class SchedulerTestBase {
    @Parameter
    String switcher;

    /** Entries appended by coros, in the order they happened. */
    final List<String> trace = new CopyOnWriteArrayList<>();
    /** Failures the uncaught handler received. */
    final List<Throwable> uncaught = new CopyOnWriteArrayList<>();
    final List<String> uncaughtCoros = new CopyOnWriteArrayList<>();

    Scheduler.Builder builder() {
        BiConsumer<Coro<?>, Throwable> handler = (c, t) -> {
            uncaughtCoros.add(c.name());
            uncaught.add(t);
        };
        return Scheduler.builder().switcher(switcher).uncaughtExceptionHandler(handler);
    }

    Scheduler virtual() {
        return builder().virtualTime().build();
    }

    /** Runs {@code main} on a fresh virtual-time scheduler and checks nothing leaked. */
    <T> T runVirtual(Callable<T> main) {
        return runChecked(virtual(), main);
    }

    <T> T runChecked(Scheduler s, Callable<T> main) {
        T result = s.run(() -> {
            T r = main.call();
            return r;
        });
        assertEquals(0, ((CoroScheduler) s).abandonedByLastRun(), "coros abandoned at the end of the run");
        return result;
    }

    void log(String what) {
        trace.add(what);
    }

    /** Logs {@code what@<virtual ms>}. */
    void logAt(String what) {
        trace.add(what + "@" + Coro.now() / 1_000_000);
    }

    static Duration ms(long n) {
        return Duration.ofMillis(n);
    }

    static int timers(Scheduler s) {
        return s.stats().timerHeapSize();
    }

    static List<String> list(String... items) {
        return new ArrayList<>(List.of(items));
    }
}
