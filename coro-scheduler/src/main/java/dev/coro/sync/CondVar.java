package dev.coro.sync;

import dev.coro.Coro;

import java.time.Duration;
import java.util.Objects;

/**
 * A condition variable: coros {@link #await} until another wakes them, and receive the value given to
 * the wake. It has no memory: a wake with nobody waiting does nothing. [shrapnel: {@code condition_variable}]
 *
 * <p>Invariants: waiters are woken in arrival order; a wake never goes to a waiter that is already
 * leaving (interrupt or timeout) — the next one gets it; a waiter woken by {@link #wakeOne} or
 * {@link #wakeN} but interrupted before it runs passes its wake-up on to the next waiter, so the
 * number of wake-ups promised is the number delivered while anyone waits. ({@link #wakeAll} woke
 * everyone present, so nothing is passed on.)
 */
public final class CondVar extends Primitive {
    private static final int PASS_ON = 1;
    private final WaitQueue waiters = new WaitQueue(this, "await");

    /** A condition variable with nobody waiting; no scheduler is needed yet. */
    public CondVar() {
    }

    /** Waits until woken; returns the wake's value. */
    public Object await() {
        Coro<?> me = caller("await");
        return waiters.await(me, waiters.add(me, 0, null), this);
    }

    /** {@link #await()}, giving up with {@code CoroTimeoutException} after {@code timeout}. */
    public Object await(Duration timeout) {
        checkTimeout(timeout);
        Coro<?> me = caller("await");
        return timed(timeout, "await", () -> waiters.await(me, waiters.add(me, 0, null), this));
    }

    /** Wakes the longest waiter with {@code value}; false if nobody was waiting. */
    public boolean wakeOne(Object value) {
        onLoop("wakeOne");
        return wakeNext(value, PASS_ON);
    }

    /** {@link #wakeOne(Object)} with a null value. */
    public boolean wakeOne() {
        return wakeOne(null);
    }

    /** Wakes up to {@code n} waiters, longest first; returns how many woke. */
    public int wakeN(int n, Object value) {
        checkCount(n, 0, "wakeN count");
        onLoop("wakeN");
        int woken = 0;
        while (woken < n && wakeNext(value, PASS_ON)) {
            woken++;
        }
        return woken;
    }

    /** Wakes every waiter with {@code value}; returns how many woke. */
    public int wakeAll(Object value) {
        onLoop("wakeAll");
        int woken = 0;
        while (wakeNext(value, 0)) {
            woken++;
        }
        return woken;
    }

    /**
     * Makes every waiter's {@code await} throw {@code e} (the same instance in each); returns how
     * many were raised.
     */
    public int raiseAll(RuntimeException e) {
        Objects.requireNonNull(e, "exception to raise must not be null");
        onLoop("raiseAll");
        int raised = 0;
        WaitQueue.Waiter w;
        while ((w = waiters.peek()) != null) {
            if (waiters.raise(w, e)) {
                raised++;
            }
        }
        return raised;
    }

    private boolean wakeNext(Object value, int flags) {
        WaitQueue.Waiter w;
        while ((w = waiters.peek()) != null) {
            if (waiters.grant(w, value)) {
                w.flags = flags;
                return true;
            }
        }
        return false;
    }

    @Override
    void revoke(WaitQueue q, WaitQueue.Waiter w) {
        if ((w.flags & PASS_ON) != 0) {
            wakeNext(w.value, PASS_ON);
        }
    }

    /** Coros waiting now. */
    public int waiting() {
        return waiters.size();
    }

    @Override
    public String toString() {
        return "CondVar[" + waiters.size() + " waiting]";
    }
}
