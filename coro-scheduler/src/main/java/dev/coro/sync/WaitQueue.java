package dev.coro.sync;

import dev.coro.Coro;
import dev.coro.scheduler.CoroContext;
import dev.coro.scheduler.WaitSubject;

/**
 * An intrusive FIFO of the coros waiting on one primitive, and the one place where a wait begins and
 * ends (SPEC.md §3 rule 6: a waiter leaving by timeout or interrupt is removed; no other waiter
 * loses a wake-up).
 *
 * <p>Invariants: a {@link Waiter} is linked iff its state is {@code WAITING}; it leaves the list
 * exactly once, either on the waker's side ({@link #grant}, {@link #raise}) or on its own side (the
 * {@code finally} of {@link #await}, after a timeout or interrupt). A waker whose {@code grant}
 * returns false (the waiter was already scheduled by an interrupt or timeout and is leaving) has
 * dropped it and moves on to the next, so the grant is not spent on a coro that will not take it. A
 * waiter that was granted something (a lock, permits, an item, a wake-up) but is interrupted before
 * it runs hands it back through {@link Primitive#revoke}, so nothing is lost either way. All on the
 * primitive's scheduler thread.
 *
 * <p>A waiting coro's dump names the queue it waits in ({@link WaitSubject}): its primitive, the
 * operation and, for a lock, the holder — described only when a dump is taken.
 */
final class WaitQueue implements WaitSubject {
    static final int WAITING = 0, GRANTED = 1, RAISED = 2, LEFT = 3;

    /**
     * One wait. {@code coro} is null for a cross-thread push (Fifo), which has no coro to wake. A coro
     * reuses one waiter for all its waits ({@link #add}): it waits on one primitive at a time, and its
     * waiter is off every queue, and referenced by nobody, from the end of one {@link #await} to the
     * start of the next; so a contended wait allocates nothing after a coro's first.
     */
    static final class Waiter {
        final Coro<?> coro;
        /** What is asked for: permits (Semaphore), READ/WRITE (RwLock), POP/POP_ALL (Fifo). */
        int amount;
        /** What the waiter brings (a Fifo push) or, once granted, what it is given. */
        Object value;
        /** Primitive-specific marks, e.g. CondVar's "pass this wake-up on if unused". */
        int flags;
        int state = WAITING;
        Waiter prev, next;

        Waiter(Coro<?> coro, int amount, Object value) {
            this.coro = coro;
            this.amount = amount;
            this.value = value;
        }
    }

    private final Primitive primitive;
    /** The operation that waits here, for the dump: {@code lock}, {@code pop}, … */
    private final String op;
    private Waiter head, tail;
    private int size;

    WaitQueue(Primitive primitive, String op) {
        this.primitive = primitive;
        this.op = op;
    }

    /** Appends a wait for {@code coro} (its reused waiter; a fresh one for a cross-thread push). */
    Waiter add(Coro<?> coro, int amount, Object value) {
        Waiter w = coro == null ? new Waiter(null, amount, value) : reusableWaiter(coro, amount, value);
        w.prev = tail;
        if (tail != null) {
            tail.next = w;
        } else {
            head = w;
        }
        tail = w;
        size++;
        return w;
    }

    private static Waiter reusableWaiter(Coro<?> coro, int amount, Object value) {
        Waiter w = (Waiter) CoroContext.syncWaiter(coro);
        if (w == null || w.state == WAITING) { // (WAITING: still queued somewhere — never, by the invariant)
            w = new Waiter(coro, amount, value);
            CoroContext.setSyncWaiter(coro, w);
            return w;
        }
        w.amount = amount;
        w.value = value;
        w.flags = 0;
        w.state = WAITING;
        return w;
    }

    Waiter peek() {
        return head;
    }

    int size() {
        return size;
    }

    boolean isEmpty() {
        return head == null;
    }

    private void unlink(Waiter w) {
        if (w.prev != null) {
            w.prev.next = w.next;
        } else {
            head = w.next;
        }
        if (w.next != null) {
            w.next.prev = w.prev;
        } else {
            tail = w.prev;
        }
        w.prev = w.next = null;
        size--;
    }

    /**
     * Takes {@code w} off the queue and hands it {@code value}: true if its coro will run and find
     * it; false if the coro is already scheduled (by an interrupt or timeout that got there first),
     * in which case it is dropped and the caller should serve the next waiter instead.
     */
    boolean grant(Waiter w, Object value) {
        unlink(w);
        if (w.coro == null || CoroContext.wake(w.coro, null)) {
            w.value = value;
            w.state = GRANTED;
            return true;
        }
        w.state = LEFT;
        return false;
    }

    /** Takes {@code w} off the queue so that its wait throws {@code e}; false as for {@link #grant}. */
    boolean raise(Waiter w, RuntimeException e) {
        unlink(w);
        if (w.coro != null && CoroContext.wakeWithException(w.coro, e)) {
            w.state = RAISED;
            return true;
        }
        w.state = LEFT;
        return false;
    }

    /**
     * Suspends {@code self} (the coro of {@code w}) until {@code w} is granted and returns what it was
     * given. On any exception (interrupt, timeout, shutdown, a raise) the wait is undone before it
     * propagates: still queued → removed and {@code owner.waiterLeft} (the next waiter may now be
     * served); already granted → {@code owner.revoke} hands the grant back.
     */
    Object await(Coro<?> self, Waiter w, Primitive owner) {
        boolean ok = false;
        try {
            while (w.state == WAITING) {
                CoroContext.suspend(self, this);
            }
            if (w.state != GRANTED) {
                throw new IllegalStateException(owner.kind() + ": " + self + " resumed without a grant (state "
                        + w.state + "): a wait-queue invariant broke");
            }
            ok = true;
            Object given = w.value;
            w.state = LEFT;
            return given;
        } finally {
            if (!ok) {
                if (w.state == WAITING) {
                    unlink(w);
                    w.state = LEFT;
                    owner.waiterLeft(this, w);
                } else if (w.state == GRANTED) {
                    w.state = LEFT;
                    owner.revoke(this, w);
                }
            }
            w.value = null; // the reused waiter keeps nothing of this wait alive
        }
    }

    @Override
    public String waitKind() {
        return primitive.kind();
    }

    @Override
    public String describeWait(int ops) {
        return primitive.kind() + "." + op + " on " + primitive;
    }

    @Override
    public Coro<?> holder() {
        return primitive.holder();
    }
}
