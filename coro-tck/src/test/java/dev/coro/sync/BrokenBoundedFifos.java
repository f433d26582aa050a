package dev.coro.sync;

import dev.coro.Coro;

import java.time.Duration;
import java.util.ArrayDeque;

/**
 * Deliberately broken copies of a bounded {@link Fifo} (coro pushers and poppers only), one bug each,
 * for the lock model properties. Test-only.
 */
final class BrokenBoundedFifos {
    private BrokenBoundedFifos() {
    }

    /** The shared correct part; subclasses break one thing. */
    abstract static class Base extends Primitive {
        final int capacity;
        final ArrayDeque<Object> items = new ArrayDeque<>();
        final WaitQueue poppers = new WaitQueue(this, "pop");
        final WaitQueue pushers = new WaitQueue(this, "push");
        int handed, reserved;

        Base(int capacity) {
            this.capacity = capacity;
        }

        void push(Object item, Duration t) {
            Coro<?> me = caller("push");
            if (tryAdd(item)) {
                return;
            }
            if (t == null) {
                awaitSlot(me, item);
            } else {
                timed(t, "push", () -> {
                    awaitSlot(me, item);
                    return null;
                });
            }
        }

        boolean offer(Object item) {
            onLoop("offer");
            return tryAdd(item);
        }

        boolean tryAdd(Object item) {
            if (pushers.isEmpty() && reserved == 0 && hasRoom()) {
                add(item);
                return true;
            }
            return false;
        }

        void awaitSlot(Coro<?> me, Object item) {
            pushers.await(me, pushers.add(me, 0, item), this);
            reserved--;
            add(item);
        }

        boolean hasRoom() {
            return items.size() + handed + reserved < capacity;
        }

        void add(Object item) {
            items.addLast(item);
            settle();
        }

        Object pop(Duration t) {
            Coro<?> me = caller("pop");
            Object x = items.pollFirst();
            if (x != null) {
                settle();
                return x;
            }
            return t == null ? awaitItem(me) : timed(t, "pop", () -> awaitItem(me));
        }

        Object poll() {
            onLoop("poll");
            Object x = items.pollFirst();
            if (x != null) {
                settle();
            }
            return x;
        }

        Object awaitItem(Coro<?> me) {
            Object x = poppers.await(me, poppers.add(me, 0, null), this);
            handed--;
            settle();
            return x;
        }

        void settle() {
            while (true) {
                WaitQueue.Waiter w;
                while (!items.isEmpty() && (w = poppers.peek()) != null) {
                    Object x = items.pollFirst();
                    if (poppers.grant(w, x)) {
                        handed++;
                    } else {
                        items.addFirst(x);
                    }
                }
                w = pushers.peek();
                if (w == null || !hasRoom()) {
                    return;
                }
                if (pushers.grant(w, null)) {
                    reserved++;
                }
            }
        }

        @Override
        void revoke(WaitQueue q, WaitQueue.Waiter w) {
            if (q == pushers) {
                reserved--;
            } else {
                handed--;
                items.addFirst(w.value);
            }
            settle();
        }
    }

    /** A pusher admitted but timed out or interrupted before it ran keeps its slot: the fifo shrinks. */
    static final class KeepsSlotOfLeavingPusher extends Base {
        KeepsSlotOfLeavingPusher(int capacity) {
            super(capacity);
        }

        @Override
        void revoke(WaitQueue q, WaitQueue.Waiter w) {
            if (q != pushers) {
                super.revoke(q, w);
            }
        }
    }

    /** An item handed to a popper interrupted before it ran is dropped. */
    static final class DropsItemOfLeavingPopper extends Base {
        DropsItemOfLeavingPopper(int capacity) {
            super(capacity);
        }

        @Override
        void revoke(WaitQueue q, WaitQueue.Waiter w) {
            if (q == pushers) {
                reserved--;
            } else {
                handed--;
            }
            settle();
        }
    }

    /** A push that finds room goes in past waiting or admitted pushers (not FIFO among pushers). */
    static final class PushersBarge extends Base {
        PushersBarge(int capacity) {
            super(capacity);
        }

        @Override
        boolean tryAdd(Object item) {
            if (items.size() + handed < capacity) {
                add(item);
                return true;
            }
            return false;
        }
    }

    /**
     * A pusher interrupted while it waits or after the hand-off reports its push as done, but its item is
     * dropped (the slot comes back, the item never goes in).
     */
    static final class DropsItemOfAdmittedPusher extends Base {
        DropsItemOfAdmittedPusher(int capacity) {
            super(capacity);
        }

        @Override
        void awaitSlot(Coro<?> me, Object item) {
            try {
                super.awaitSlot(me, item);
            } catch (RuntimeException e) {
                if (!(e instanceof dev.coro.CoroInterruptedException)) {
                    throw e;
                }
                // swallowed: the caller believes its item went in
            }
        }
    }
}
