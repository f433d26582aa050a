package dev.coro.scheduler;

import dev.coro.Profiler;

/**
 * The JMX view of a running scheduler (SPEC.md §5), registered as
 * {@code dev.coro:type=Scheduler,name="<name>#<seq>"} for the length of each run and unregistered as
 * it ends (off with {@code -Dcoro.jmx=false}); {@code <seq>} counts registrations in this JVM, so
 * several schedulers, even of one name, each have their own bean. Counters are those of
 * {@link dev.coro.SchedulerStats} and its
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

    /** {@link dev.coro.Scheduler#dump()}: the readable dump, identical stacks collapsed; answered by the loop thread. */
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

    /**
     * {@link dev.coro.Scheduler#dumpState()}: the structured dump, which JMX clients receive as
     * {@code CompositeData} (the MXBean mapping of records: a component is an item, a list an array,
     * an enum its name); null if the run ended meanwhile.
     */
    dev.coro.SchedulerDump dumpState();
}
