package dev.coro.sync;

import dev.coro.Coro;

import java.time.Duration;
import java.util.IdentityHashMap;

/** Deliberately broken copies of {@link RwLock}, one bug each, for the lock model properties. Test-only. */
final class BrokenRwLocks {
    private BrokenRwLocks() {
    }

    static final int READ = 0, WRITE = 1;

    /** The shared correct part; subclasses break one thing. */
    abstract static class Base extends Primitive {
        final WaitQueue waiters = new WaitQueue(this, "wait");
        final IdentityHashMap<Coro<?>, int[]> readers = new IdentityHashMap<>();
        Coro<?> writer;
        int writeHolds;

        void lock(int mode, Duration t) {
            Coro<?> me = caller(mode == WRITE ? "writeLock" : "readLock");
            if (mode == WRITE ? tryWrite(me) : tryRead(me)) {
                return;
            }
            if (t == null) {
                waiters.await(me, waiters.add(me, mode, null), this);
            } else {
                timed(t, "lock", () -> waiters.await(me, waiters.add(me, mode, null), this));
            }
        }

        boolean tryRead(Coro<?> me) {
            int[] mine = readers.get(me);
            if (mine != null) {
                mine[0]++;
                return true;
            }
            if (writer == me || (writer == null && waiters.isEmpty())) {
                readers.put(me, new int[] {1});
                return true;
            }
            return false;
        }

        boolean tryWrite(Coro<?> me) {
            if (writer == me) {
                writeHolds++;
                return true;
            }
            if (readers.containsKey(me)) {
                throw new IllegalStateException("RwLock.writeLock: upgrade");
            }
            if (writer == null && readers.isEmpty() && waiters.isEmpty()) {
                writer = me;
                writeHolds = 1;
                return true;
            }
            return false;
        }

        void readUnlock() {
            Coro<?> me = caller("readUnlock");
            int[] mine = readers.get(me);
            if (mine == null) {
                throw new IllegalStateException("RwLock.readUnlock: no read lock");
            }
            dropRead(me, mine);
            serve();
        }

        void writeUnlock() {
            Coro<?> me = caller("writeUnlock");
            if (writer != me) {
                throw new IllegalStateException("RwLock.writeUnlock: not the writer");
            }
            if (--writeHolds == 0) {
                writer = null;
                serve();
            }
        }

        void dropRead(Coro<?> c, int[] holds) {
            if (--holds[0] == 0) {
                readers.remove(c);
            }
        }

        void serve() {
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
                    readers.put(w.coro, new int[] {1});
                }
            }
        }

        @Override
        void waiterLeft(WaitQueue q, WaitQueue.Waiter w) {
            serve();
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
    }

    /** New readers barge past a waiting writer (writer starvation). */
    static final class ReadersBargePastWaitingWriter extends Base {
        @Override
        boolean tryRead(Coro<?> me) {
            int[] mine = readers.get(me);
            if (mine != null) {
                mine[0]++;
                return true;
            }
            if (writer == me || writer == null) {
                readers.put(me, new int[] {1});
                return true;
            }
            return false;
        }
    }

    /** A writer handed the lock but interrupted before it ran keeps it. */
    static final class KeepsWriteOfInterruptedWriter extends Base {
        @Override
        void revoke(WaitQueue q, WaitQueue.Waiter w) {
            if (w.amount != WRITE) {
                super.revoke(q, w);
            }
        }
    }

    /** A waiting writer that times out or is interrupted at the head keeps holding back the readers behind it. */
    static final class NoServeWhenWaiterLeaves extends Base {
        @Override
        void waiterLeft(WaitQueue q, WaitQueue.Waiter w) {
        }
    }

    /** A re-entering reader queues behind a waiting writer (and so waits for itself). */
    static final class ReaderReentryQueues extends Base {
        @Override
        boolean tryRead(Coro<?> me) {
            int[] mine = readers.get(me);
            if (mine != null && waiters.isEmpty()) {
                mine[0]++;
                return true;
            }
            if (mine == null && (writer == me || (writer == null && waiters.isEmpty()))) {
                readers.put(me, new int[] {1});
                return true;
            }
            return false;
        }
    }
}
