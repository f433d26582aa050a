package dev.coro.sync;

import dev.coro.Coro;

import java.time.Duration;
import java.util.IdentityHashMap;

/**
 * A readers–writer lock: readers share it, a writer holds it alone. [shrapnel: {@code rw_lock}]
 *
 * <p>Policy: one FIFO queue of readers and writers, no barging. A reader gets the lock at once only
 * if no writer holds it and nobody waits; otherwise it queues — so a waiting writer holds back every
 * reader that came after it, and a writer is never starved by a stream of readers. When the lock
 * frees up, the head is served: a writer once the last reader has left, or the whole run of readers
 * up to the next waiting writer, together. Readers are not starved either: they are served in their
 * turn. (shrapnel's writer preference let readers starve and deadlocked a reader re-entering while a
 * writer waited.)
 *
 * <p>Re-entrancy: a read holder may read-lock again at once (even past waiting writers: it would
 * otherwise wait for itself); the writer may write-lock again and may also read-lock. Upgrading a
 * read lock to a write lock would deadlock and is an {@code IllegalStateException}; so is unlocking
 * what the caller does not hold.
 *
 * <p>Invariants: {@code writer == null} iff {@code writeHolds == 0}; {@code readers} maps each read
 * holder to its hold count (> 0), and {@code spareHolds} is no holder's counter; waiters exist only while the head cannot be served; a grant takes
 * the lock on the waiter's behalf before it runs, and is undone if it is interrupted first.
 */
public final class RwLock extends Primitive {
    private static final int READ = 0, WRITE = 1;
    private final WaitQueue waiters = new WaitQueue(this, "lock");
    private final IdentityHashMap<Coro<?>, int[]> readers = new IdentityHashMap<>();
    /** A hold counter given back by the last reader to leave, reused by the next: read-lock+unlock allocates nothing. */
    private int[] spareHolds;
    private Coro<?> writer;
    private int writeHolds;

    /** A free lock; no scheduler is needed yet. */
    public RwLock() {
    }

    /** Takes a read lock, waiting behind a holding or waiting writer. */
    public void readLock() {
        Coro<?> me = caller("readLock");
        if (!tryRead(me)) {
            waiters.await(me, waiters.add(me, READ, null), this);
        }
    }

    /** {@link #readLock()}, giving up with {@code CoroTimeoutException} after {@code timeout}. */
    public void readLock(Duration timeout) {
        checkTimeout(timeout);
        Coro<?> me = caller("readLock");
        if (!tryRead(me)) {
            timed(timeout, "readLock", () -> waiters.await(me, waiters.add(me, READ, null), this));
        }
    }

    /** Takes a read lock if that needs no wait; true if taken. */
    public boolean tryReadLock() {
        return tryRead(caller("tryReadLock"));
    }

    /** Takes the write lock, waiting until every earlier waiter and every holder is done. */
    public void writeLock() {
        Coro<?> me = caller("writeLock");
        if (!tryWrite(me)) {
            waiters.await(me, waiters.add(me, WRITE, null), this);
        }
    }

    /** {@link #writeLock()}, giving up with {@code CoroTimeoutException} after {@code timeout}. */
    public void writeLock(Duration timeout) {
        checkTimeout(timeout);
        Coro<?> me = caller("writeLock");
        if (!tryWrite(me)) {
            timed(timeout, "writeLock", () -> waiters.await(me, waiters.add(me, WRITE, null), this));
        }
    }

    /** Takes the write lock if that needs no wait; true if taken. */
    public boolean tryWriteLock() {
        return tryWrite(caller("tryWriteLock"));
    }

    private boolean tryRead(Coro<?> me) {
        int[] mine = readers.get(me);
        if (mine != null) {
            mine[0]++;
            return true;
        }
        if (writer == me || (writer == null && waiters.isEmpty())) {
            addReader(me);
            return true;
        }
        return false;
    }

    private boolean tryWrite(Coro<?> me) {
        if (writer == me) {
            writeHolds++;
            return true;
        }
        if (readers.containsKey(me)) {
            throw new IllegalStateException("RwLock.writeLock by " + me + ", which holds a read lock: "
                    + "upgrading would deadlock (read-unlock first)");
        }
        if (writer == null && readers.isEmpty() && waiters.isEmpty()) {
            writer = me;
            writeHolds = 1;
            return true;
        }
        return false;
    }

    /** Gives up one read hold of the caller. */
    public void readUnlock() {
        Coro<?> me = caller("readUnlock");
        int[] mine = readers.get(me);
        if (mine == null) {
            throw new IllegalStateException("RwLock.readUnlock by " + me + ", which holds no read lock");
        }
        dropRead(me, mine);
        serve();
    }

    /** Gives up one write hold of the caller. */
    public void writeUnlock() {
        Coro<?> me = caller("writeUnlock");
        if (writer != me) {
            throw new IllegalStateException("RwLock.writeUnlock by " + me + ", which does not hold the write lock"
                    + (writer == null ? "" : " (held by " + writer + ")"));
        }
        if (--writeHolds == 0) {
            writer = null;
            serve();
        }
    }

    private void addReader(Coro<?> c) {
        int[] holds = spareHolds;
        if (holds == null) {
            holds = new int[1];
        } else {
            spareHolds = null;
        }
        holds[0] = 1;
        readers.put(c, holds);
    }

    private void dropRead(Coro<?> c, int[] holds) {
        if (--holds[0] == 0) {
            readers.remove(c);
            spareHolds = holds;
        }
    }

    /** Serves the head: a writer once the lock is free, or the run of readers up to the next writer. */
    private void serve() {
        WaitQueue.Waiter w;
        while ((w = waiters.peek()) != null && writer == null) {
            if (w.amount == WRITE) {
                if (!readers.isEmpty()) {
                    return;
                }
                if (waiters.grant(w, null)) {
                    writer = w.coro;
                    writeHolds = 1;
                    return;
                }
            } else if (waiters.grant(w, null)) {
                addReader(w.coro);
            }
        }
    }

    @Override
    void waiterLeft(WaitQueue q, WaitQueue.Waiter w) {
        serve(); // a writer that left the head may have been holding back readers
    }

    @Override
    void revoke(WaitQueue q, WaitQueue.Waiter w) {
        if (w.amount == WRITE) {
            writer = null;
            writeHolds = 0;
        } else {
            dropRead(w.coro, readers.get(w.coro));
        }
        serve();
    }

    /** True while some coro holds the write lock. */
    public boolean isWriteLocked() {
        return writer != null;
    }

    /** How many coros hold a read lock. */
    public int readers() {
        return readers.size();
    }

    /** Coros waiting now. */
    public int waiting() {
        return waiters.size();
    }

    @Override
    Coro<?> holder() {
        return writer;
    }

    @Override
    public String toString() {
        return "RwLock[" + (writer != null ? "write-held by " + writer + ", " : "") + readers.size() + " reader(s), "
                + waiters.size() + " waiting]";
    }
}
