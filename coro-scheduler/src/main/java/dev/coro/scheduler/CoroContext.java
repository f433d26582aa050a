package dev.coro.scheduler;

import dev.coro.Coro;
import dev.coro.NotInCoroException;
import dev.coro.spi.CoroEngine;


/**
 * The scheduler's internals that {@code dev.coro.sync} builds its waits on ({@code dev.coro.net}
 * adds {@link NetSupport}). Not a user API: its methods assume the caller keeps the wait-queue discipline described here.
 *
 * <p>A wait: the waiter puts itself in the primitive's queue, calls {@link #suspend}, and removes
 * itself in a {@code finally}. A waker calls {@link #wake}; it returns false when the waiter is
 * already scheduled (an interrupt or timeout got there first, and the waiter will remove itself),
 * in which case the waker moves on to the next waiter — so no wake-up is lost. All calls but
 * {@link #runOnLoop} must be made on the coro's scheduler (in a coro, or in a task run on the loop).
 */
public final class CoroContext {
    private CoroContext() {
    }

    /** The running coro; {@link NotInCoroException} naming {@code what} if there is none. */
    public static Coro<?> self(String what) {
        CoroEngine e = CoroEngine.boundOrNull();
        if (!(e instanceof LoopEngine engine)) {
            throw new NotInCoroException("cannot " + what + ": not called from a coro (outside Scheduler.run, "
                    + "or on another thread)");
        }
        return engine.runningCoro(what); // bound to this thread: callerFor's first check is done
    }

    /**
     * The running coro, or null where {@link #self} would throw: the same checks as
     * {@code LoopEngine.callerFor}, without its message. For hot paths that build their message only on
     * failure: {@code selfOrNull()}, and on null {@code self(what)} for the exception. Allocates nothing.
     */
    public static Coro<?> selfOrNull() {
        // callerFor(what) checks that the bound engine is this loop and takes its current coro; here the
        // bound engine is the loop, so only "bound at all" and "a coro is running" are left to check.
        return CoroEngine.boundOrNull() instanceof LoopEngine e ? e.loop.current : null;
    }

    /**
     * The running coro if the caller runs on {@code loop}'s thread (see {@link #loopOf}), else null
     * (also for a null {@code loop}, an object not bound to a run yet): for a primitive or socket
     * bound to a run, the check of {@link #selfOrNull} without its ThreadLocal lookup (native); null
     * sends the caller to {@link #selfOrNull}.
     */
    public static Coro<?> selfOn(Object loop) {
        return loop instanceof EventLoop l && l.onLoopThread() ? l.current : null;
    }

    /**
     * Whether the caller runs on {@code loop}'s thread, a coro or not; false for a null {@code loop}
     * (false: look it up with {@link #currentLoopOrNull}).
     */
    public static boolean onLoopThread(Object loop) {
        return loop instanceof EventLoop l && l.onLoopThread();
    }

    /** The scheduler run a coro belongs to: primitives bind to it on first use. */
    public static Object loopOf(Coro<?> c) {
        return impl(c).loop;
    }

    /** The run the calling thread serves, or null (on the loop thread outside coros too). */
    public static Object currentLoopOrNull() {
        return CoroEngine.boundOrNull() instanceof LoopEngine e ? e.loop : null;
    }

    /**
     * Suspends the calling coro {@code self} until woken; returns the wake value or throws the
     * interrupt. {@code on} is what it waits on, as the dump describes it.
     */
    public static Object suspend(Coro<?> self, WaitSubject on) {
        CoroImpl<?> c = impl(self);
        return c.loop.states.suspend(c, on);
    }

    /** Schedules a suspended {@code waiter} with {@code value}; false if it was already scheduled or is done. */
    public static boolean wake(Coro<?> waiter, Object value) {
        CoroImpl<?> c = impl(waiter);
        requireOnLoop(c.loop, "wake a coro");
        return c.loop.states.wake(c, value);
    }

    /** Like {@link #wake}, but the waiter's suspension point throws {@code e}. */
    public static boolean wakeWithException(Coro<?> waiter, RuntimeException e) {
        CoroImpl<?> c = impl(waiter);
        requireOnLoop(c.loop, "wake a coro");
        return c.loop.states.wakeWithException(c, e);
    }

    /**
     * The wait record {@code dev.coro.sync} keeps for {@code self} between its waits (null before the
     * first): a coro waits on one primitive at a time, so one record, re-armed per wait, serves all.
     */
    public static Object syncWaiter(Coro<?> self) {
        return impl(self).syncWaiter;
    }

    /** Keeps {@code waiter} as {@code self}'s wait record (see {@link #syncWaiter}). */
    public static void setSyncWaiter(Coro<?> self, Object waiter) {
        impl(self).syncWaiter = waiter;
    }

    /** Thread-safe: runs {@code task} on the loop thread (outside any coro) at its next I/O phase. */
    public static void runOnLoop(Object loop, Runnable task) {
        ((EventLoop) loop).owner.offerInbox(task);
    }

    /**
     * The per-coro map behind {@code CoroLocal}s of {@code self} (the calling coro), keyed by identity;
     * made on first use, dropped when the coro ends.
     */
    public static java.util.Map<Object, Object> locals(Coro<?> self) {
        CoroImpl<?> c = impl(self);
        if (c.locals == null) {
            c.locals = new java.util.IdentityHashMap<>(4);
        }
        return c.locals;
    }

    static CoroImpl<?> impl(Coro<?> c) {
        if (c instanceof CoroImpl<?> impl) {
            return impl;
        }
        throw new IllegalArgumentException("not a coro of this scheduler implementation: " + c);
    }

    private static void requireOnLoop(EventLoop loop, String what) {
        if (!loop.onLoopThread() && CoroEngine.boundOrNull() != loop.engine) {
            throw new NotInCoroException("cannot " + what + ": not on that coro's scheduler "
                    + "(from another thread, go through Scheduler.execute)");
        }
    }
}
