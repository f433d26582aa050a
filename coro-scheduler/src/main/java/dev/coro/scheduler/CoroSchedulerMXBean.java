package dev.coro.scheduler;

/**
 * The JMX view of a running scheduler (SPEC.md §5), registered as
 * {@code dev.coro:type=Scheduler,name="<name>#<seq>"} for the length of each run and unregistered as
 * it ends (off with {@code -Dcoro.jmx=false}); {@code <seq>} counts registrations in this JVM, so
 * several schedulers, even of one name, each have their own bean. Counters are those of
 * {@link dev.coro.SchedulerStats}.
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

    /** {@link dev.coro.Scheduler#dump()}: the readable dump, identical stacks collapsed; answered by the loop thread. */
    String dump();

    /**
     * {@link dev.coro.Scheduler#dumpState()}: the structured dump, which JMX clients receive as
     * {@code CompositeData} (the MXBean mapping of records: a component is an item, a list an array,
     * an enum its name); null if the run ended meanwhile.
     */
    dev.coro.SchedulerDump dumpState();
}
