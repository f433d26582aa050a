package dev.coro.scheduler;

import dev.coro.Coro;
import dev.coro.Scheduler;

import java.util.List;

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

    /** The caller's run's live coros, newest first. */
    public static List<? extends Coro<?>> liveCoros() {
        return loop("list the live coros").live.snapshot();
    }

    /** The state of {@code c} (NEW, RUNNING, SUSPENDED, BLOCKED, DONE), as the dump shows it. */
    public static String stateOf(Coro<?> c) {
        return CoroContext.impl(c).stateName();
    }

    private static EventLoop loop(String what) {
        return CoroContext.impl(CoroContext.self(what)).loop;
    }
}
