package dev.coro.sync;

import dev.coro.Coro;

import java.time.Duration;

/** Deliberately broken copies of {@link Mutex}, one bug each, for the lock model properties. Test-only. */
final class BrokenMutexes {
    private BrokenMutexes() {
    }

    /** The shared correct part; subclasses break one thing. */
    abstract static class Base extends Primitive {
        final WaitQueue waiters = new WaitQueue(this, "wait");
        Coro<?> owner;
        int holds;

        void lock(Duration t) {
            Coro<?> me = caller("lock");
            if (!tryTake(me)) {
                if (t == null) {
                    waiters.await(me, waiters.add(me, 1, null), this);
                } else {
                    timed(t, "lock", () -> waiters.await(me, waiters.add(me, 1, null), this));
                }
            }
        }

        boolean tryTake(Coro<?> me) {
            if (owner == null) {
                owner = me;
                holds = 1;
                return true;
            }
            if (owner == me) {
                holds++;
                return true;
            }
            return false;
        }

        void unlock() {
            Coro<?> me = caller("unlock");
            checkOwner(me);
            if (--holds == 0) {
                handOff();
            }
        }

        void checkOwner(Coro<?> me) {
            if (owner == null) {
                throw new IllegalStateException("Mutex.unlock by " + me + ": not locked");
            }
            if (owner != me) {
                throw new IllegalStateException("Mutex.unlock by " + me + ": not the owner");
            }
        }

        void handOff() {
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
            holds = 0;
            handOff();
        }
    }

    /** A waiter handed the mutex but interrupted before it ran keeps it: the next waiter never gets it. */
    static final class KeepsHandOffOfInterruptedWaiter extends Base {
        @Override
        void revoke(WaitQueue q, WaitQueue.Waiter w) {
        }
    }

    /** Not re-entrant: the owner locking again waits for itself. */
    static final class NotReentrant extends Base {
        @Override
        boolean tryTake(Coro<?> me) {
            if (owner == null) {
                owner = me;
                holds = 1;
                return true;
            }
            return false;
        }
    }

    /** Any coro may unlock it, not only the owner. */
    static final class UnlockedByAnyone extends Base {
        @Override
        void checkOwner(Coro<?> me) {
            if (owner == null) {
                throw new IllegalStateException("Mutex.unlock by " + me + ": not locked");
            }
        }
    }
}
