package dev.coro.sync;

import dev.coro.Coro;

import java.time.Duration;

/**
 * A mutual-exclusion lock owned by a coro: re-entrant, served FIFO, and handed straight to the next
 * waiter on the final unlock (no coro can barge in between). Use it instead of {@code synchronized},
 * which must never be held across a switch (SPEC.md §4). [shrapnel: {@code mutex}]
 *
 * <p>Invariants: {@code owner == null} iff {@code holds == 0}; waiters exist only while owned; a
 * granted waiter is the owner (with one hold) from the moment of the hand-off, and if it is
 * interrupted before it runs it unlocks, handing the mutex on. A coro that ends while holding the
 * mutex leaves it locked (as in shrapnel): unlock in a {@code finally}.
 */
public final class Mutex extends Primitive {
    private final WaitQueue waiters = new WaitQueue(this, "lock");
    private Coro<?> owner;
    private int holds;

    /** An unlocked mutex; no scheduler is needed yet. */
    public Mutex() {
    }

    /** Takes the mutex, waiting behind earlier waiters if another coro holds it; re-entrant. */
    public void lock() {
        Coro<?> me = caller("lock");
        if (!tryTake(me)) {
            waiters.await(me, waiters.add(me, 1, null), this);
        }
    }

    /** {@link #lock()}, giving up with {@code CoroTimeoutException} after {@code timeout}. */
    public void lock(Duration timeout) {
        checkTimeout(timeout);
        Coro<?> me = caller("lock");
        if (!tryTake(me)) {
            timed(timeout, "lock", () -> waiters.await(me, waiters.add(me, 1, null), this));
        }
    }

    /** Takes the mutex if that needs no wait (free, or already held by the caller); true if taken. */
    public boolean tryLock() {
        return tryTake(caller("tryLock"));
    }

    private boolean tryTake(Coro<?> me) {
        if (owner == null) {
            owner = me;
            holds = 1;
            return true;
        }
        if (owner == me) {
            if (holds == Integer.MAX_VALUE) {
                throw new IllegalStateException("Mutex: too many re-entrant holds by " + me);
            }
            holds++;
            return true;
        }
        return false;
    }

    /**
     * Gives up one hold; the last one hands the mutex to the first waiter that can take it.
     *
     * @throws IllegalStateException if the mutex is not locked, or is held by another coro
     */
    public void unlock() {
        Coro<?> me = caller("unlock");
        if (owner == null) {
            throw new IllegalStateException("Mutex.unlock by " + me + ": the mutex is not locked");
        }
        if (owner != me) {
            throw new IllegalStateException("Mutex.unlock by " + me + ", a coro that does not own it (held by "
                    + owner + ")");
        }
        if (--holds == 0) {
            handOff();
        }
    }

    private void handOff() {
        owner = null;
        WaitQueue.Waiter w;
        while ((w = waiters.peek()) != null) {
            if (waiters.grant(w, null)) {
                owner = w.coro;
                holds = 1;
                return;
            }
        }
    }

    @Override
    void revoke(WaitQueue q, WaitQueue.Waiter w) {
        // Handed the mutex but interrupted before it ran: pass it on.
        holds = 0;
        handOff();
    }

    @Override
    Coro<?> holder() {
        return owner;
    }

    /** True while some coro holds the mutex. */
    public boolean isLocked() {
        return owner != null;
    }

    /** The coro that holds the mutex, or null. */
    public Coro<?> heldBy() {
        return owner;
    }

    /** How many times the owner has locked it without unlocking (0 when free). */
    public int holdCount() {
        return holds;
    }

    /** Coros waiting for the mutex. */
    public int waiting() {
        return waiters.size();
    }

    @Override
    public String toString() {
        return "Mutex[" + (owner == null ? "unlocked" : "held by " + owner + " x" + holds) + ", " + waiters.size()
                + " waiting]";
    }
}
