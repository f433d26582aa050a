package dev.coro.sync;

import dev.coro.Coro;

import java.time.Duration;
import java.util.ArrayDeque;

/** Deliberately broken copies of an unbounded {@link Fifo}, one bug each. Test-only. */
final class BrokenFifos {
    private BrokenFifos() {
    }

    abstract static class Base extends Primitive {
        final WaitQueue poppers = new WaitQueue(this, "pop");
        final ArrayDeque<Object> items = new ArrayDeque<>();

        Object pop(Duration t) {
            Coro<?> me = caller("pop");
            Object x = items.pollFirst();
            if (x != null) {
                return x;
            }
            return t == null ? poppers.await(me, poppers.add(me, 0, null), this)
                    : timed(t, "pop", () -> poppers.await(me, poppers.add(me, 0, null), this));
        }

        void push(Object x) {
            onLoop("push");
            items.addLast(x);
            serve();
        }

        void serve() {
            WaitQueue.Waiter w;
            while (!items.isEmpty() && (w = poppers.peek()) != null) {
                Object x = items.pollFirst();
                if (!poppers.grant(w, x)) {
                    items.addFirst(x);
                }
            }
        }

        @Override
        void revoke(WaitQueue q, WaitQueue.Waiter w) {
            items.addFirst(w.value);
            serve();
        }
    }

    /** An item handed to a popper that is interrupted before it ran is lost. */
    static final class DropsHandedItem extends Base {
        @Override
        void revoke(WaitQueue q, WaitQueue.Waiter w) {
        }
    }

    /** An item handed back by an interrupted popper goes to the tail, behind newer items. */
    static final class HandsBackToTheTail extends Base {
        @Override
        void revoke(WaitQueue q, WaitQueue.Waiter w) {
            items.addLast(w.value);
            serve();
        }
    }
}
