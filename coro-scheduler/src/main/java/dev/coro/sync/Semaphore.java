package dev.coro.sync;

import dev.coro.Coro;

import java.time.Duration;

/**
 * A counting semaphore, served strictly FIFO: a request at the head that does not fit blocks the
 * smaller ones behind it, so a large request is never starved (head-of-line blocking, as in
 * shrapnel). [shrapnel: {@code semaphore}]
 *
 * <p>Permits as in {@code java.util.concurrent.Semaphore} and shrapnel: {@code new Semaphore(n)}
 * starts with {@code n} available, and nothing bounds them — {@link #release(int)} may raise the count
 * above {@code n} (so {@code new Semaphore(0)} is the signalling idiom: one coro {@code acquire()}s,
 * another {@code release()}s), and {@code acquire(k)} for any {@code k >= 0} waits until {@code k}
 * are available. Permits are not tracked per coro: any coro may release.
 *
 * <p>Bounded: {@code new Semaphore(available, capacity)} adds a ceiling for pools whose size is
 * known. {@code available} never exceeds {@code capacity}: a release past it is an
 * {@code IllegalStateException} (more released than acquired, caught once it would overflow the
 * pool), and {@code acquire(n)} with {@code n > capacity} could never succeed, so it is an
 * {@code IllegalArgumentException} at once instead of a hang. Only a bounded semaphore can tell that.
 *
 * <p>Invariants: {@code 0 <= available <= capacity} ({@code capacity == Integer.MAX_VALUE} when
 * unbounded); waiters exist only when the head's request does not fit in {@code available}; permits
 * are taken out of {@code available} when granted (before the waiter runs), and given back if the
 * waiter is interrupted before it runs.
 *
 * <p>Caveats: the count is an {@code int}, so a release that would take an unbounded semaphore past
 * {@code Integer.MAX_VALUE} is an {@code IllegalStateException} (j.u.c throws an {@code Error}). Unlike
 * j.u.c, a negative initial count is refused (an {@code IllegalArgumentException}): to wait for
 * {@code k} signals, {@code acquire(k)} on {@code new Semaphore(0)}. An unbounded semaphore cannot tell
 * a request that will never be satisfied from one that waits for releases to come: it just waits
 * (use a bounded one, or a timed {@code acquire}, if that matters).
 */
public final class Semaphore extends Primitive {
    private final WaitQueue waiters = new WaitQueue(this, "acquire");
    /** The ceiling; {@code Integer.MAX_VALUE} (the most an {@code int} count can hold) when unbounded. */
    private final int capacity;
    private final boolean bounded;
    private int available;

    /** A semaphore with {@code permits} permits available and no ceiling (as {@code java.util.concurrent.Semaphore}). */
    public Semaphore(int permits) {
        this.available = checkCount(permits, 0, "initial permits");
        this.capacity = Integer.MAX_VALUE;
        this.bounded = false;
    }

    /** A bounded semaphore: at most {@code capacity} permits, of which {@code available} are available now. */
    public Semaphore(int available, int capacity) {
        checkCount(capacity, 0, "semaphore capacity");
        checkCount(available, 0, "available permits");
        if (available > capacity) {
            throw new IllegalArgumentException("available permits (" + available + ") exceed the capacity ("
                    + capacity + ")");
        }
        this.capacity = capacity;
        this.bounded = true;
        this.available = available;
    }

    /** {@code acquire(1)}. */
    public void acquire() {
        acquire(1);
    }

    /**
     * Takes {@code n} permits, waiting (FIFO) until they are available.
     *
     * @throws IllegalArgumentException if {@code n < 0}, or if the semaphore is bounded and {@code n > capacity}
     */
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
        if (n > capacity) { // only when bounded: an unbounded capacity is the largest int
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
     *         (bounded), or more than {@code Integer.MAX_VALUE} (unbounded: the count would overflow)
     */
    public void release(int n) {
        checkCount(n, 0, "permits to release");
        onLoop("release");
        if (n > capacity - available) {
            throw new IllegalStateException("Semaphore.release(" + n + ") would make " + ((long) available + n)
                    + " permits available, " + (bounded
                    ? "more than its capacity " + capacity + " (released more than acquired)"
                    : "more than an int count holds (Integer.MAX_VALUE = " + Integer.MAX_VALUE + ")"));
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

    /** The most permits there can be: the capacity if bounded, else {@code Integer.MAX_VALUE}. */
    public int capacity() {
        return capacity;
    }

    /** True if made with a capacity ({@link #Semaphore(int, int)}). */
    public boolean isBounded() {
        return bounded;
    }

    /** Coros waiting now. */
    public int waiting() {
        return waiters.size();
    }

    @Override
    public String toString() {
        return "Semaphore[" + available + (bounded ? "/" + capacity : "") + " available, " + waiters.size()
                + " waiting]";
    }
}
