package dev.coro.sync;

import dev.coro.Coro;

import java.time.Duration;

/**
 * A counting semaphore over a fixed pool of {@code capacity} permits, served strictly FIFO: a request
 * at the head that does not fit blocks the smaller ones behind it, so a large request is never
 * starved (head-of-line blocking, as in shrapnel). [shrapnel: {@code semaphore}]
 *
 * <p>Why a capacity: "more than could ever be available" is not knowable for a semaphore whose
 * releases are unbounded (any coro might release later). Here the pool is bounded instead —
 * {@code available} never exceeds {@code capacity}: a release that would push it past is an
 * {@code IllegalStateException} (more released than acquired; permits are not tracked per coro, so
 * an over-release is caught only once it would overflow the pool) — so {@code acquire(n)} with
 * {@code n > capacity} can never succeed and is an {@code IllegalArgumentException} at once instead of
 * a hang. {@code new Semaphore(0, n)} makes a signalling semaphore that starts empty.
 *
 * <p>Invariants: {@code 0 <= available <= capacity}; waiters exist only when the head's request does
 * not fit in {@code available}; permits are taken out of {@code available} when granted (before the
 * waiter runs), and given back if the waiter is interrupted before it runs.
 */
public final class Semaphore extends Primitive {
    private final WaitQueue waiters = new WaitQueue();
    private final int capacity;
    private int available;

    /** A semaphore with {@code permits} permits, all available. */
    public Semaphore(int permits) {
        this(permits, permits);
    }

    /** A semaphore of {@code capacity} permits of which {@code available} are available now. */
    public Semaphore(int available, int capacity) {
        checkCount(capacity, 0, "semaphore capacity");
        checkCount(available, 0, "available permits");
        if (available > capacity) {
            throw new IllegalArgumentException("available permits (" + available + ") exceed the capacity ("
                    + capacity + ")");
        }
        this.capacity = capacity;
        this.available = available;
    }

    /** {@code acquire(1)}. */
    public void acquire() {
        acquire(1);
    }

    /** Takes {@code n} permits, waiting (FIFO) until they are available. */
    public void acquire(int n) {
        checkRequest(n);
        Coro<?> me = caller("acquire");
        if (!tryTake(n)) {
            waiters.await(me, waiters.add(me, n, null), this);
        }
    }

    /** {@link #acquire(int)}, giving up with {@code CoroTimeoutException} after {@code timeout}. */
    public void acquire(int n, Duration timeout) {
        checkRequest(n);
        checkTimeout(timeout);
        Coro<?> me = caller("acquire");
        if (!tryTake(n)) {
            timed(timeout, "acquire(" + n + ")", () -> waiters.await(me, waiters.add(me, n, null), this));
        }
    }

    /** Takes {@code n} permits if that needs no wait (they are available and nobody waits ahead). */
    public boolean tryAcquire(int n) {
        checkRequest(n);
        caller("tryAcquire");
        return tryTake(n);
    }

    private void checkRequest(int n) {
        checkCount(n, 0, "permits to acquire");
        if (n > capacity) {
            throw new IllegalArgumentException("cannot acquire " + n + " permits from a semaphore of capacity "
                    + capacity + ": it could never be satisfied");
        }
    }

    private boolean tryTake(int n) {
        if (waiters.isEmpty() && available >= n) {
            available -= n;
            return true;
        }
        return false;
    }

    /** {@code release(1)}. */
    public void release() {
        release(1);
    }

    /**
     * Gives back {@code n} permits and grants waiters in FIFO order while the head's request fits.
     *
     * @throws IllegalStateException if that would make more than {@code capacity} permits available
     */
    public void release(int n) {
        checkCount(n, 0, "permits to release");
        onLoop("release");
        if (n > capacity - available) {
            throw new IllegalStateException("Semaphore.release(" + n + ") would make " + ((long) available + n)
                    + " permits available, more than its capacity " + capacity + " (released more than acquired)");
        }
        available += n;
        grantWaiters();
    }

    private void grantWaiters() {
        WaitQueue.Waiter w;
        while ((w = waiters.peek()) != null && w.amount <= available) {
            if (waiters.grant(w, null)) {
                available -= w.amount;
            }
        }
    }

    @Override
    void waiterLeft(WaitQueue q, WaitQueue.Waiter w) {
        grantWaiters(); // the head may have left: the request behind it may fit
    }

    @Override
    void revoke(WaitQueue q, WaitQueue.Waiter w) {
        available += w.amount;
        grantWaiters();
    }

    /** Permits available now. */
    public int available() {
        return available;
    }

    /** The most permits there can be. */
    public int capacity() {
        return capacity;
    }

    /** Coros waiting now. */
    public int waiting() {
        return waiters.size();
    }

    @Override
    public String toString() {
        return "Semaphore[" + available + "/" + capacity + " available, " + waiters.size() + " waiting]";
    }
}
