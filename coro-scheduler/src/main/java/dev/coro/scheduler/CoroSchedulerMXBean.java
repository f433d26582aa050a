package dev.coro.scheduler;

/**
 * The JMX view of a running scheduler (SPEC.md §5), registered as
 * {@code dev.coro:type=Scheduler,name=<name>} for the length of each run (off with
 * {@code -Dcoro.jmx=false}). Counters are those of {@link dev.coro.SchedulerStats}.
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

    String getSwitcher();

    String getPoller();

    boolean isVirtualTime();

    /** Every live coro with its state and stack; answered by the loop thread. */
    String dump();
}
