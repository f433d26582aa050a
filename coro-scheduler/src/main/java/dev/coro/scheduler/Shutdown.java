package dev.coro.scheduler;

import dev.coro.CoroShutdownException;

import java.io.IOException;

/**
 * The end of a run (SPEC.md rule 8): every coro still alive gets {@link CoroShutdownException} and
 * may unwind, in up to {@link #ROUNDS} rounds (an unwinding coro may spawn or wait again); coros
 * blocked in JDK calls get at most {@link #BLOCKED_GRACE_NANOS} in all to come back. What is left
 * then is abandoned, and named in one WARNING.
 *
 * <p>Invariant: between rounds the loop settles — timers, passes and polls until nothing is
 * runnable — so a coro's unwinding (closing its sockets, releasing its locks, waking its joiners)
 * runs to its end before the next round looks for survivors.
 */
final class Shutdown {
    private static final System.Logger LOG = System.getLogger("dev.coro.scheduler");

    /** Shutdown rounds at the end of a run before survivors are abandoned (each may unwind further). */
    static final int ROUNDS = 3;

    /**
     * How long, in all, the rounds wait for coros blocked in JDK calls to come back; one that has not
     * by then (an uninterruptible JDK call) is abandoned to the backend, which runs it to its end after
     * the run (SwitchBackend#close), so the run itself ends promptly.
     */
    static final long BLOCKED_GRACE_NANOS = 200_000_000L;

    private final EventLoop loop;

    Shutdown(EventLoop loop) {
        this.loop = loop;
    }

    /** Shuts down every live coro; returns how many it shut down (the abandoned included). */
    int run() {
        long start = System.nanoTime();
        long graceEnd = start + BLOCKED_GRACE_NANOS;
        int shutDown = 0;
        for (int round = 0; round < ROUNDS && loop.live.count > 0; round++) {
            for (CoroImpl<?> c : loop.live.snapshot()) {
                if (c.state != CoroImpl.DONE) {
                    shutDown++;
                    loop.states.endCoro(c, new CoroShutdownException("scheduler run ended"));
                }
            }
            settle(graceEnd);
        }
        String name = loop.owner.config.name();
        if (loop.live.count > 0) {
            StringBuilder names = new StringBuilder();
            for (CoroImpl<?> c : loop.live.snapshot()) {
                names.append("\n  ").append(c);
            }
            LoopLog.log(LOG, System.Logger.Level.WARNING, "scheduler '" + name + "': " + loop.live.count
                    + " coro(s) did not end after " + ROUNDS + " shutdowns and are abandoned (one blocked "
                    + "in a JDK call runs on to its end when the JDK wakes it; each of its coro operations then "
                    + "throws CoroShutdownException):" + names, null);
        }
        if (shutDown > 0) {
            int count = shutDown;
            long micros = (System.nanoTime() - start) / 1_000;
            LoopLog.log(LOG, System.Logger.Level.DEBUG, () -> "scheduler '" + name + "': run ended, " + count
                    + " shutdown(s) delivered in " + micros + " µs, " + loop.live.count + " coro(s) abandoned");
        }
        return shutDown;
    }

    /** Runs timers and passes until nothing is runnable, waiting until {@code graceEnd} for blocked coros. */
    private void settle(long graceEnd) {
        while (true) {
            loop.now = loop.owner.clockNow();
            loop.timeouts.fire(loop.now);
            loop.runPhase();
            long t = 0;
            if (!loop.runQueue.hasPending() && loop.blockedCount > 0) {
                t = Math.max(0, graceEnd - System.nanoTime());
            }
            try {
                loop.poll(loop.owner.hasInbox() ? 0 : t);
            } catch (RuntimeException e) {
                LoopLog.log(LOG, System.Logger.Level.WARNING, "poll failed during shutdown", e);
            }
            loop.takeInbox();
            if (!loop.runQueue.hasPending() && (loop.blockedCount == 0 || System.nanoTime() - graceEnd >= 0)) {
                return;
            }
        }
    }
}
