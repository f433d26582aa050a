package dev.coro.scheduler;

import dev.coro.Coro;
import dev.coro.CoroShutdownException;
import dev.coro.NotInCoroException;
import dev.coro.spi.CoroEngine;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * One run's {@link CoroEngine}: what the {@link Coro} statics reach, bound to the scheduler thread
 * (and, loom, to each coro's own thread). Each operation checks that its caller is a running coro of
 * this run ({@link #callerFor}), then hands over to the concern that carries it out: {@link Timeouts}
 * for yields, sleeps and timeouts, {@link ExternalWaits} for futures and blocking calls.
 *
 * <p>The check costs no {@code ThreadLocal} lookup on the scheduler thread, where the engine bound is
 * this one (runs do not nest): a native coro's operations take that path; a loom coro, on its own
 * virtual thread, falls back to the lookup.
 */
final class LoopEngine implements CoroEngine {
    final EventLoop loop;
    private final Timeouts timeouts;

    LoopEngine(EventLoop loop) {
        this.loop = loop;
        this.timeouts = loop.timeouts;
    }

    /** {@link #callerFor}'s checks without its message: the running coro, or null where it would throw. */
    CoroImpl<?> callerOrNull() {
        return loop.onLoopThread() || CoroEngine.boundOrNull() == this && !loop.ended ? loop.current : null;
    }

    /** The running coro, which must belong to this run; {@code what} names the attempted call. */
    CoroImpl<?> callerFor(String what) {
        CoroImpl<?> c = loop.current;
        if (c != null && loop.onLoopThread()) {
            return c; // (native) the ThreadLocal lookup below, after the Coro statics' own, is not needed
        }
        CoroEngine bound = CoroEngine.boundOrNull();
        if (bound != this) {
            throw new NotInCoroException("cannot " + what + ": " + (bound == null
                    ? "not called from a coro (outside Scheduler.run, or on another thread: use Scheduler.submit)"
                    : "called from a coro of another scheduler run"));
        }
        return runningCoro(what);
    }

    /** {@link #callerFor} for a caller that has just found this engine bound to its thread. */
    CoroImpl<?> runningCoro(String what) {
        if (loop.ended) {
            throw new CoroShutdownException("cannot " + what + ": the scheduler run has ended");
        }
        CoroImpl<?> c = loop.current;
        if (c == null) {
            throw new NotInCoroException("cannot " + what + ": called on the scheduler thread outside any coro");
        }
        return c;
    }

    /** Binds this engine to the calling thread (a loom coro's, as it starts), unless it is already. */
    void bindToCurrentThread() {
        if (CoroEngine.boundOrNull() != this) {
            CoroEngine.bind(this);
        }
    }

    @Override
    public <T> Coro<T> spawn(String name, Callable<T> body) {
        callerFor("spawn");
        return loop.newCoro(name, body, true, null);
    }

    @Override
    public Coro<?> current() {
        return callerFor("get the current coro");
    }

    @Override
    public void yieldSlice() {
        timeouts.yieldSlice(callerFor("yieldSlice"));
    }

    @Override
    public void sleep(Duration duration) {
        long nanos = Durations.nonNegativeNanos(duration, "sleep duration");
        CoroImpl<?> me = callerFor("sleep");
        timeouts.sleepUntil(me, Durations.deadline(loop.owner.clockNow(), nanos));
    }

    @Override
    public void sleepUntil(long nanos) {
        timeouts.sleepUntil(callerFor("sleepUntil"), nanos);
    }

    @Override
    public long now() {
        callerFor("read the clock");
        return loop.owner.clockNow();
    }

    @Override
    public <T> T withTimeout(Duration timeout, Callable<T> body) {
        long nanos = Durations.timeoutNanos(timeout, "timeout");
        Objects.requireNonNull(body, "withTimeout body must not be null");
        return withTimeout(nanos, body, () -> "timed out after " + timeout);
    }

    /** {@link #withTimeout(Duration, Callable)} with its message made on expiry. */
    <T> T withTimeout(long nanos, Callable<T> body, Supplier<String> message) {
        CoroImpl<?> me = callerFor("withTimeout");
        return timeouts.withTimeout(me, Durations.deadline(loop.owner.clockNow(), nanos), body, message);
    }

    @Override
    public <T> T await(CompletableFuture<T> future) {
        Objects.requireNonNull(future, "future must not be null");
        return loop.externalWaits.await(callerFor("await a future"), future);
    }

    @Override
    public <T> T blocking(Callable<T> task) {
        Objects.requireNonNull(task, "blocking task must not be null");
        return loop.externalWaits.blocking(callerFor("run a blocking call"), task);
    }
}
