package dev.coro.sync;

import dev.coro.Coro;

import java.time.Duration;

/**
 * A counter that coros wait on until it reaches zero: {@link #acquire} adds (never blocks),
 * {@link #release} subtracts, {@link #awaitZero} waits for zero — e.g. "wait until every
 * outstanding request has finished". [shrapnel: {@code inverted_semaphore}, {@code block_till_zero}]
 *
 * <p>Invariants: {@code value >= 0}; waiters exist only while {@code value > 0}; when a release brings
 * the value to zero every waiter present is granted at once, and returns even if the value has risen
 * again before it runs (it saw zero; unlike shrapnel, which re-checks and can miss a brief zero).
 */
public final class InvertedSemaphore extends Primitive {
    private final WaitQueue waiters = new WaitQueue(this, "awaitZero");
    private long value;

    /** A counter at zero. */
    public InvertedSemaphore() {
    }

    /** A counter at {@code initial}. */
    public InvertedSemaphore(long initial) {
        if (initial < 0) {
            throw new IllegalArgumentException("initial value must not be negative, got " + initial);
        }
        this.value = initial;
    }

    /** {@code acquire(1)}. */
    public void acquire() {
        acquire(1);
    }

    /** Adds {@code n}; never blocks. */
    public void acquire(long n) {
        checkAmount(n, "acquire");
        onLoop("acquire");
        if (n > Long.MAX_VALUE - value) {
            throw new IllegalArgumentException("InvertedSemaphore.acquire(" + n + ") overflows the value " + value);
        }
        value += n;
    }

    /** {@code release(1)}. */
    public void release() {
        release(1);
    }

    /**
     * Subtracts {@code n}; reaching zero wakes every waiter.
     *
     * @throws IllegalStateException if {@code n} exceeds the value (released more than acquired)
     */
    public void release(long n) {
        checkAmount(n, "release");
        onLoop("release");
        if (n > value) {
            throw new IllegalStateException("InvertedSemaphore.release(" + n + ") exceeds its value " + value
                    + " (released more than acquired)");
        }
        value -= n;
        if (value == 0) {
            WaitQueue.Waiter w;
            while ((w = waiters.peek()) != null) {
                waiters.grant(w, null);
            }
        }
    }

    /** Returns at once if the value is zero, else waits until a release brings it to zero. */
    public void awaitZero() {
        Coro<?> me = caller("awaitZero");
        if (value != 0) {
            waiters.await(me, waiters.add(me, 0, null), this);
        }
    }

    /** {@link #awaitZero()}, giving up with {@code CoroTimeoutException} after {@code timeout}. */
    public void awaitZero(Duration timeout) {
        checkTimeout(timeout);
        Coro<?> me = caller("awaitZero");
        if (value != 0) {
            timed(timeout, "awaitZero", () -> waiters.await(me, waiters.add(me, 0, null), this));
        }
    }

    private static void checkAmount(long n, String op) {
        if (n < 0) {
            throw new IllegalArgumentException("InvertedSemaphore." + op + " amount must not be negative, got " + n);
        }
    }

    @Override
    void revoke(WaitQueue q, WaitQueue.Waiter w) {
        // A grant here holds nothing: every waiter present was released together.
    }

    /** The value now. */
    public long value() {
        return value;
    }

    /** Coros waiting now. */
    public int waiting() {
        return waiters.size();
    }

    @Override
    public String toString() {
        return "InvertedSemaphore[value " + value + ", " + waiters.size() + " waiting]";
    }
}
