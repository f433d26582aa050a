package dev.coro.sync;

import dev.coro.Coro;

import java.time.Duration;

/**
 * Deliberately broken copies of {@link CondVar}, each with one bug the sync properties must catch.
 * Test-only; in package dev.coro.sync to reuse the package-private {@link WaitQueue}.
 */
final class BrokenCondVars {
    private BrokenCondVars() {
    }

    /** The shared correct part; subclasses break one thing. */
    abstract static class Base extends Primitive {
        final WaitQueue waiters = new WaitQueue(this, "wait");

        Object await(Duration t) {
            Coro<?> me = caller("await");
            return t == null ? waiters.await(me, waiters.add(me, 0, null), this)
                    : timed(t, "await", () -> waiters.await(me, waiters.add(me, 0, null), this));
        }

        boolean wakeOne(Object v) {
            onLoop("wakeOne");
            WaitQueue.Waiter w;
            while ((w = waiters.peek()) != null) {
                if (waiters.grant(w, v)) {
                    return true;
                }
            }
            return false;
        }

        int waiting() {
            return waiters.size();
        }

        @Override
        void revoke(WaitQueue q, WaitQueue.Waiter w) {
            wakeOne(w.value);
        }
    }

    /** Drops the wake-up of a waiter interrupted after it was woken (shrapnel's behaviour). */
    static final class DropsWakeOfInterruptedWaiter extends Base {
        @Override
        void revoke(WaitQueue q, WaitQueue.Waiter w) {
        }
    }

    /** Spends the wake on the head even when it is already leaving (timed out or interrupted). */
    static final class WakesLeavingWaiter extends Base {
        @Override
        boolean wakeOne(Object v) {
            onLoop("wakeOne");
            WaitQueue.Waiter w = waiters.peek();
            if (w == null) {
                return false;
            }
            waiters.grant(w, v);
            return true;
        }
    }

    /** Serves the second waiter before the first when two wait (not FIFO). */
    static final class NotFifo extends Base {
        @Override
        boolean wakeOne(Object v) {
            onLoop("wakeOne");
            WaitQueue.Waiter w = waiters.peek();
            if (w != null && w.next != null && w.next.state == WaitQueue.WAITING) {
                w = w.next;
            }
            while (w != null) {
                WaitQueue.Waiter after = w.next;
                if (waiters.grant(w, v)) {
                    return true;
                }
                w = after != null ? after : waiters.peek();
            }
            return false;
        }
    }
}
