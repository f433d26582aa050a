package dev.coro.scheduler;

import dev.coro.SchedulerStats;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * One run's counters, behind {@link SchedulerStats}. Written by the scheduler thread only, with
 * plain increments where the loop branches anyway; {@link #countSwitch} uses opaque stores, since
 * the latency watchdog reads the switch count from its own thread. Other threads read the rest
 * racily through {@link EventLoop#snapshot}: a count may be a phase old, never torn on a 64-bit VM.
 */
final class LoopStats {
    private static final VarHandle SWITCHES;

    static {
        try {
            SWITCHES = MethodHandles.lookup().findVarHandle(LoopStats.class, "switches", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @SuppressWarnings("unused") // through SWITCHES
    private long switches;
    long passes, ioEvents, pollWaitNanos;
    /** {@link SchedulerStats.Phases}; runNanos is one clock read per busy run phase (see EventLoop.endRunPhase). */
    long iterations, timerPhases, runPhases, cutShortPhases, polls, runNanos;
    int largestBatch;

    void countSwitch() {
        SWITCHES.setOpaque(this, (long) SWITCHES.getOpaque(this) + 1);
    }

    /** Any thread. */
    long switches() {
        return (long) SWITCHES.getOpaque(this);
    }

    SchedulerStats.Phases phases() {
        return new SchedulerStats.Phases(iterations, timerPhases, runPhases, cutShortPhases, largestBatch, polls,
                runNanos);
    }

    /** A run's figures as {@code SchedulerStats} reports them: counters, and gauges of the moment. */
    record Snapshot(long switches, long passes, long timersFired, long ioEvents, int live, int runQueue,
                    int timers, long pollWaitNanos, int waits, SchedulerStats.Phases phases) {
        static final Snapshot NONE = new Snapshot(0, 0, 0, 0, 0, 0, 0, 0, 0, SchedulerStats.Phases.NONE);

        /** The totals of this and a later run {@code s}; gauges (live, queue, timers, waits) are not carried. */
        Snapshot plus(Snapshot s) {
            SchedulerStats.Phases a = phases, b = s.phases;
            return new Snapshot(switches + s.switches, passes + s.passes, timersFired + s.timersFired,
                    ioEvents + s.ioEvents, 0, 0, 0, pollWaitNanos + s.pollWaitNanos, 0,
                    new SchedulerStats.Phases(a.iterations() + b.iterations(), a.timerPhases() + b.timerPhases(),
                            a.runPhases() + b.runPhases(), a.cutShortPhases() + b.cutShortPhases(),
                            Math.max(a.largestBatch(), b.largestBatch()), a.polls() + b.polls(),
                            a.runNanos() + b.runNanos()));
        }
    }
}
