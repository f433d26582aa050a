package dev.coro.sync;

import dev.coro.Coro;
import dev.coro.CoroTimeoutException;
import dev.coro.NotInCoroException;
import dev.coro.scheduler.CoroContext;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Callable;

/**
 * What every primitive of {@code dev.coro.sync} shares: binding to one scheduler run, argument
 * checks, timed waits built on {@link Coro#withTimeout} (the timer heap stays the one source of
 * timing), and the hooks {@link WaitQueue#await} calls when a wait ends by an exception.
 *
 * <p>Uncontended operations allocate nothing (a message is built only when it is thrown; a
 * timed wait's lambda only when it has to wait), so a lock or a permit costs no garbage.
 *
 * <p>Invariant: {@link #loop} is null until the first operation that needs a scheduler, then the run
 * of that operation's caller, for good. Every mutating operation checks it, so a primitive is only
 * ever touched by one scheduler thread (which is what makes the unsynchronised state safe).
 */
abstract class Primitive {
    /** Written once, read by other threads only in {@link Fifo#pushFromAnyThread}. */
    volatile Object loop;

    /** The class name used in messages, e.g. {@code Mutex}. */
    String kind() {
        return getClass().getSimpleName();
    }

    /**
     * The calling coro, after checking that it belongs to this primitive's run (binding it if new).
     * Every wait and unlock calls this, so it allocates nothing: the message is built only on failure.
     */
    final Coro<?> caller(String op) {
        Coro<?> me = CoroContext.selfOn(loop); // on its run's thread: no ThreadLocal lookup
        if (me != null) {
            return me;
        }
        me = CoroContext.selfOrNull();
        if (me == null) {
            me = CoroContext.self(kind() + "." + op); // throws, naming the call
        }
        bind(CoroContext.loopOf(me), op);
        return me;
    }

    /** For operations that wake but never wait: any code on the scheduler thread will do. */
    final void onLoop(String op) {
        if (CoroContext.onLoopThread(loop)) {
            return;
        }
        Object l = CoroContext.currentLoopOrNull();
        if (l == null) {
            throw new NotInCoroException("cannot call " + kind() + "." + op + ": not on a scheduler thread "
                    + "(outside Scheduler.run, or on another OS thread: go through Scheduler.execute"
                    + (this instanceof Fifo ? ", or use Fifo.pushFromAnyThread" : "") + ")");
        }
        bind(l, op);
    }

    private void bind(Object l, String op) {
        Object bound = loop;
        if (bound == null) {
            loop = l;
        } else if (bound != l) {
            throw new IllegalStateException("cannot call " + kind() + "." + op + ": this " + kind()
                    + " belongs to another scheduler run (a primitive binds to the run of its first user; "
                    + "make one per run)");
        }
    }

    /** Runs {@code wait} with a deadline; a timeout names the operation. */
    final <T> T timed(Duration timeout, String op, Callable<T> wait) {
        try {
            return Coro.withTimeout(timeout, wait);
        } catch (CoroTimeoutException e) {
            throw new CoroTimeoutException(kind() + "." + op + " timed out after " + timeout, e);
        }
    }

    /** A timeout argument: not null, not negative (zero: succeed only if no wait is needed). */
    static Duration checkTimeout(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout must not be null");
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("timeout must not be negative, got " + timeout);
        }
        return timeout;
    }

    /** A count argument: at least {@code min}. */
    static int checkCount(int n, int min, String what) {
        if (n < min) {
            throw new IllegalArgumentException(what + " must be at least " + min + ", got " + n);
        }
        return n;
    }

    /** The coro that holds this primitive (a lock's owner), for the dump; null if none or not a lock. */
    Coro<?> holder() {
        return null;
    }

    /** A still-queued waiter left by an exception: serve whoever is now at the head, if that changes anything. */
    void waiterLeft(WaitQueue q, WaitQueue.Waiter w) {
    }

    /** A granted waiter left by an exception before taking its grant: give the grant back or pass it on. */
    abstract void revoke(WaitQueue q, WaitQueue.Waiter w);
}
