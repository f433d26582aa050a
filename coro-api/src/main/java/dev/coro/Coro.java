package dev.coro;

import dev.coro.spi.CoroEngine;

import java.time.Duration;
import java.util.concurrent.Callable;

/**
 * A coroutine: a cooperative thread of the {@link Scheduler} that runs it. A coro runs until it
 * blocks, sleeps or yields; then the scheduler resumes the next one. The statics act on the coro
 * that calls them and throw {@link NotInCoroException} anywhere else.
 *
 * <p>Instances are not thread-safe: use them from coros of their own scheduler (from another OS
 * thread, go through {@link Scheduler#submit}).
 *
 * @param <T> the type of the coro's result
 */
public interface Coro<T> {

    /** Starts {@code body} as a new coro: it is appended to the run queue and the caller goes on. */
    static <T> Coro<T> spawn(Callable<T> body) {
        return CoroEngine.bound().spawn(null, body);
    }

    /** Starts {@code body} as a new coro with no result. */
    static Coro<Void> spawn(Runnable body) {
        return CoroEngine.bound().spawn(null, CoroEngine.callable(body));
    }

    /** Starts {@code body} as a new coro called {@code name}. */
    static <T> Coro<T> spawn(String name, Callable<T> body) {
        return CoroEngine.bound().spawn(name, body);
    }

    /** Starts {@code body} as a new coro called {@code name}, with no result. */
    static Coro<Void> spawn(String name, Runnable body) {
        return CoroEngine.bound().spawn(name, CoroEngine.callable(body));
    }

    /** The coro that calls this. */
    static Coro<?> current() {
        return CoroEngine.bound().current();
    }

    /**
     * Lets every other runnable coro run, and the timer and I/O phases too: a sleep until now.
     * [shrapnel: {@code yield_slice}]
     */
    static void yieldSlice() {
        CoroEngine.bound().yieldSlice();
    }

    /** Sleeps for {@code duration} of the scheduler's clock (never less). [{@code sleep_relative}] */
    static void sleep(Duration duration) {
        CoroEngine.bound().sleep(duration);
    }

    /** Sleeps until the scheduler's clock reads {@code nanos} (see {@link #now()}). [{@code sleep_absolute}] */
    static void sleepUntil(long nanos) {
        CoroEngine.bound().sleepUntil(nanos);
    }

    /** The scheduler's clock in nanoseconds: 0 when it was built; virtual under {@code virtualTime()}. */
    static long now() {
        return CoroEngine.bound().now();
    }

    /**
     * Runs {@code body} in this coro with a deadline {@code timeout} from now (negative counts as 0).
     * If the deadline passes first, {@code body} is interrupted at its suspension point and this
     * call throws {@link CoroTimeoutException}; nested timeouts each answer for their own deadline.
     * [shrapnel: {@code with_timeout}]
     */
    static <T> T withTimeout(Duration timeout, Callable<T> body) {
        return CoroEngine.bound().withTimeout(timeout, body);
    }

    /** {@link #withTimeout(Duration, Callable)} for a body with no result. */
    static void withTimeout(Duration timeout, Runnable body) {
        CoroEngine.bound().withTimeout(timeout, CoroEngine.callable(body));
    }

    /**
     * Waits for {@code future} without blocking the scheduler: the coro is suspended until the future
     * completes (from any thread). Returns its value or rethrows its failure (checked ones wrapped in
     * {@link CoroExecutionException}); honours interrupts and {@link #withTimeout}.
     */
    static <T> T await(java.util.concurrent.CompletableFuture<T> future) {
        return CoroEngine.bound().await(future);
    }

    /**
     * Runs a blocking call ({@code task}) on a worker thread of the scheduler while this coro waits,
     * so that JDK blocking I/O or locks do not stall the other coros. An interrupt or timeout of the
     * waiting coro interrupts the worker. Worker threads end with the run.
     */
    static <T> T blocking(Callable<T> task) {
        return CoroEngine.bound().blocking(task);
    }

    /** A number unique among this scheduler's coros, from 1. */
    long id();

    /** The name given at spawn, or {@code coro-<id>}. */
    String name();

    /**
     * Waits until this coro has finished and returns its result, or rethrows its failure (checked
     * exceptions wrapped in {@link CoroExecutionException}).
     */
    T join();

    /** {@link #join()}, giving up with {@link CoroTimeoutException} if still alive after {@code timeout}. */
    T join(Duration timeout);

    /**
     * Raises {@code CoroInterruptedException(value)} in this coro at its suspension point; if it is
     * scheduled it is unscheduled first. [shrapnel: {@code raise_exception(Interrupted(value))}]
     *
     * @throws ScheduleException if this coro is dead, is the caller, or has not started
     */
    void interrupt(Object value);

    /**
     * Raises {@link CoroShutdownException} in this coro; a coro that never started is cancelled.
     * Does nothing to a dead coro.
     */
    void shutdown();

    /** True once the coro has finished, by returning, failing or being cancelled. */
    boolean isDone();
}
