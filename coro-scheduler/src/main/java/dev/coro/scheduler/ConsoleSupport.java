package dev.coro.scheduler;

import dev.coro.Coro;
import dev.coro.Scheduler;

/**
 * What {@code dev.coro.console} needs from the scheduler beyond its public API. Not a user API. Every
 * call must be made from a coro, and answers about that coro's scheduler run (its loop thread owns
 * the live list, so what it reads is stable while the caller runs).
 */
public final class ConsoleSupport {
    private ConsoleSupport() {
    }

    /** The scheduler running the calling coro. */
    public static Scheduler scheduler(String what) {
        return loop(what).owner;
    }

    /** The live coro with id {@code id} in the caller's run, or null if there is none (never spawned, or finished). */
    public static Coro<?> findLive(long id) {
        return loop("find a coro by id").live.find(id);
    }


    /** Every live coro as the dump sees it, without stacks (cheap: no stack walk). */
    public static dev.coro.SchedulerDump coros() {
        return LoopDump.of(loop("list the live coros"), false);
    }

    private static EventLoop loop(String what) {
        return CoroContext.impl(CoroContext.self(what)).loop;
    }
}
