package dev.coro.sync;

import dev.coro.Coro;

import java.time.Duration;

/** Deliberately broken copies of {@link Semaphore} (unbounded, as {@code new Semaphore(0)}), one bug each. Test-only. */
final class BrokenSemaphores {
    private BrokenSemaphores() {
    }

    abstract static class Base extends Primitive {
        final WaitQueue waiters = new WaitQueue(this, "wait");
        int available;

        void acquire(int n, Duration t) {
            Coro<?> me = caller("acquire");
            if (tryTake(n)) {
                return;
            }
            if (t == null) {
                waiters.await(me, waiters.add(me, n, null), this);
            } else {
                timed(t, "acquire", () -> waiters.await(me, waiters.add(me, n, null), this));
            }
        }

        boolean tryTake(int n) {
            if (waiters.isEmpty() && available >= n) {
                available -= n;
                return true;
            }
            return false;
        }

        void release(int n) {
            onLoop("release");
            available += n;
            serve();
        }

        void serve() {
            WaitQueue.Waiter w;
            while ((w = waiters.peek()) != null && w.amount <= available) {
                if (waiters.grant(w, null)) {
                    available -= w.amount;
                }
            }
        }

        @Override
        void waiterLeft(WaitQueue q, WaitQueue.Waiter w) {
            serve();
        }

        @Override
        void revoke(WaitQueue q, WaitQueue.Waiter w) {
            available += w.amount;
            serve();
        }
    }

    /** A waiter leaving the head does not let the request behind it through. */
    static final class NoServeWhenHeadLeaves extends Base {
        @Override
        void waiterLeft(WaitQueue q, WaitQueue.Waiter w) {
        }
    }

    /** A new request takes free permits past the waiters (barging: no head-of-line, not FIFO). */
    static final class Barging extends Base {
        @Override
        boolean tryTake(int n) {
            if (available >= n) {
                available -= n;
                return true;
            }
            return false;
        }
    }

    /** Permits granted to a waiter interrupted before it ran are lost. */
    static final class LosesRevokedPermits extends Base {
        @Override
        void revoke(WaitQueue q, WaitQueue.Waiter w) {
        }
    }

    /** Bounded by its initial count, as Semaphore(int) once was: a release above it is refused. */
    static final class CappedAtInitialCount extends Base {
        final int capacity = available; // 0: every release of the signalling idiom is refused

        @Override
        void release(int n) {
            if (n > capacity - available) {
                throw new IllegalStateException("release(" + n + ") exceeds the capacity " + capacity);
            }
            super.release(n);
        }
    }
}
