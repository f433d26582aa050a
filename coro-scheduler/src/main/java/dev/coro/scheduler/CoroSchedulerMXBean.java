package dev.coro.scheduler;

import dev.coro.Profiler;

/**
 * The JMX view of a running scheduler (SPEC.md §5), registered as
 * {@code dev.coro:type=Scheduler,name=<name>} for the length of each run (off with
 * {@code -Dcoro.jmx=false}). Counters are those of {@link dev.coro.SchedulerStats} and its
 * {@link dev.coro.SchedulerStats.Phases}; the profiler is the scheduler's {@link Profiler}.
 */
public interface CoroSchedulerMXBean {
    long getSwitches();

    long getPasses();

    long getTimersFired();

    long getIoEvents();

    int getLiveCoros();

    int getRunQueueLength();

    int getTimerHeapSize();

    long getPollWaitNanos();

    /** {@link dev.coro.SchedulerStats#waits()}. */
    int getWaits();

    /** {@link dev.coro.SchedulerStats.Phases#iterations()}. */
    long getIterations();

    /** {@link dev.coro.SchedulerStats.Phases#timerPhases()}. */
    long getTimerPhases();

    /** {@link dev.coro.SchedulerStats.Phases#runPhases()}. */
    long getRunPhases();

    /** {@link dev.coro.SchedulerStats.Phases#cutShortPhases()}. */
    long getCutShortPhases();

    /** {@link dev.coro.SchedulerStats.Phases#largestBatch()}. */
    int getLargestBatch();

    /** {@link dev.coro.SchedulerStats.Phases#polls()}. */
    long getPolls();

    /** {@link dev.coro.SchedulerStats.Phases#runNanos()}. */
    long getRunNanos();

    String getSwitcher();

    String getPoller();

    boolean isVirtualTime();

    /** Every live coro with its state and stack; answered by the loop thread. */
    String dump();

    /** Whether the profiler is on ({@link Profiler#isRunning()}). */
    boolean isProfilerRunning();

    /** Starts a new profile ({@link Profiler#start()}). */
    void startProfiler();

    /** Stops the profiler; its counts stay ({@link Profiler#stop()}). */
    void stopProfiler();

    /** The profile as records (one composite per coro name, busiest first); made by the loop thread. */
    Profiler.Report profile();

    /** The profile as a text table ({@link Profiler.Report#table()}). */
    String profileTable();
}
