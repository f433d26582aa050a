package dev.coro.scheduler;

import dev.coro.Coro;
import dev.coro.CoroDump;
import dev.coro.SchedulerDump;
import dev.coro.spi.OsEvent;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;

/**
 * {@code Scheduler.dumpState()}: every live coro with its state, what it waits for and its stack.
 * Scheduler thread only (other threads ask through the owner's inbox), so the list, the states and
 * the wait subjects it reads are stable.
 *
 * <p>A suspended coro's {@link CoroImpl#waitingOn} is the object its wait already had at hand; it is
 * turned into words only here: a {@link Timer} (its sleeper) is a sleep, or a yield once its deadline
 * is not after the iteration's clock; an {@link IoWait} a poller wait for a socket ({@link WaitSubject})
 * or an {@link OsEvent}; a {@link CoroImpl} a join; a {@link WaitSubject} a {@code dev.coro.sync}
 * wait; a {@link CompletableFuture} a {@code Coro.await}; a {@link Callable} a {@code Coro.blocking}.
 */
final class LoopDump {
    private LoopDump() {
    }

    static SchedulerDump of(EventLoop loop) {
        return of(loop, true);
    }

    /** With {@code stacks} false, every coro's stack is empty (the console's cheap {@code coros}). */
    static SchedulerDump of(EventLoop loop, boolean stacks) {
        long now = loop.owner.clockNow();
        List<CoroImpl<?>> all = loop.live.snapshot();
        List<CoroDump> coros = new ArrayList<>(all.size());
        for (CoroImpl<?> c : all) {
            coros.add(coroDump(loop, c, now, stacks));
        }
        return new SchedulerDump(loop.owner.config.name(), loop.backend.describe(), loop.poller.name(),
                loop.virtualTime, now, coros);
    }

    private static CoroDump coroDump(EventLoop loop, CoroImpl<?> c, long now, boolean stacks) {
        CoroDump.State state;
        CoroDump.Wait wait = null;
        if (c == loop.current) {
            state = CoroDump.State.RUNNING;
        } else if (c.scheduled || c.state == CoroImpl.NEW) {
            state = CoroDump.State.RUNNABLE;
        } else if (c.state == CoroImpl.BLOCKED) {
            state = CoroDump.State.BLOCKED;
            wait = new CoroDump.Wait("JDK call", "a JDK call that parked it (the JDK wakes it)", now - c.waitSince,
                    -1, 0, null, null);
        } else if (c.waitingOn instanceof Timer t && t.deadline <= loop.now) {
            state = CoroDump.State.RUNNABLE; // yielded: it runs after the next timer phase
        } else {
            wait = waitOf(c, now);
            state = wait.kind().equals("sleep") ? CoroDump.State.SLEEPING : CoroDump.State.WAITING;
        }
        return new CoroDump(c.id(), c.name(), now - c.spawnedAt, state, wait, stacks ? stackOf(loop, c) : List.of());
    }

    /** What suspended {@code c} waits for, from its {@link CoroImpl#waitingOn}. */
    static CoroDump.Wait waitOf(CoroImpl<?> c, long now) {
        long waited = now - c.waitSince;
        Object on = c.waitingOn;
        try {
            return switch (on) {
                case Timer t -> new CoroDump.Wait("sleep", "sleep", waited, t.deadline, 0, null, null);
                case CoroImpl<?> joined -> new CoroDump.Wait("join", "join of " + joined, waited, -1, joined.id(),
                        null, null);
                case IoWait w when w.subject instanceof WaitSubject s -> subjectWait(s, w.ops, waited);
                case IoWait w when w.subject instanceof OsEvent e -> new CoroDump.Wait("OS event", e.toString(),
                        waited, -1, 0, null, null);
                case IoWait w -> new CoroDump.Wait("poller", "a poller registration", waited, -1, 0, null, null);
                case WaitSubject s -> subjectWait(s, 0, waited);
                case CompletableFuture<?> f -> new CoroDump.Wait("future", "Coro.await of " + f, waited, -1, 0,
                        null, null);
                case Callable<?> task -> new CoroDump.Wait("blocking call", "Coro.blocking of " + task, waited, -1,
                        0, null, null);
                case null -> new CoroDump.Wait("unknown", "a wait that did not say what for", waited, -1, 0, null,
                        null);
                default -> new CoroDump.Wait("unknown", String.valueOf(on), waited, -1, 0, null, null);
            };
        } catch (RuntimeException e) {
            // A user object's toString failed: the dump must still come out.
            return new CoroDump.Wait("unknown", "(cannot describe the wait: " + e + ")", waited, -1, 0, null, null);
        }
    }

    private static CoroDump.Wait subjectWait(WaitSubject s, int ops, long waited) {
        Coro<?> holder = s.holder();
        return new CoroDump.Wait(s.waitKind(), s.describeWait(ops), waited, -1, holder == null ? 0 : holder.id(),
                s.remoteAddress(), s.operation(ops));
    }

    private static List<StackTraceElement> stackOf(EventLoop loop, CoroImpl<?> c) {
        StackTraceElement[] stack = c == loop.current && Thread.currentThread() == loop.schedulerThread()
                ? Thread.currentThread().getStackTrace() : c.coroutine.stackTrace();
        return List.of(stack);
    }
}
