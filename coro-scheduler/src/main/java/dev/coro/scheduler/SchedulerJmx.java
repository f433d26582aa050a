package dev.coro.scheduler;

import dev.coro.Profiler;
import dev.coro.Scheduler;
import dev.coro.SchedulerDump;

import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import java.lang.management.ManagementFactory;
import java.util.concurrent.atomic.AtomicLong;

/** Registers a scheduler's {@link CoroSchedulerMXBean} for one run and removes it afterwards. */
final class SchedulerJmx implements CoroSchedulerMXBean {
    private static final System.Logger LOG = System.getLogger("dev.coro.scheduler");
    private static final AtomicLong SEQ = new AtomicLong();

    private final Scheduler scheduler;
    private final boolean virtualTime;
    private final ObjectName name;

    private SchedulerJmx(Scheduler scheduler, boolean virtualTime, ObjectName name) {
        this.scheduler = scheduler;
        this.virtualTime = virtualTime;
        this.name = name;
    }

    /** Null when JMX is turned off or registration failed (logged; the run goes on without it). */
    static SchedulerJmx register(Scheduler scheduler, String schedulerName, boolean virtualTime) {
        if (!Boolean.parseBoolean(System.getProperty("coro.jmx", "true"))) {
            return null;
        }
        try {
            // A sequence number keeps names unique when several schedulers share a name.
            ObjectName name = new ObjectName("dev.coro:type=Scheduler,name="
                    + ObjectName.quote(schedulerName + "#" + SEQ.incrementAndGet()));
            SchedulerJmx bean = new SchedulerJmx(scheduler, virtualTime, name);
            ManagementFactory.getPlatformMBeanServer().registerMBean(bean, name);
            return bean;
        } catch (JMException | RuntimeException e) {
            LoopLog.log(LOG, System.Logger.Level.WARNING, "cannot register the scheduler MBean", e);
            return null;
        }
    }

    void unregister() {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        try {
            server.unregisterMBean(name);
        } catch (JMException e) {
            LoopLog.log(LOG, System.Logger.Level.WARNING, "cannot unregister " + name, e);
        }
    }

    ObjectName objectName() {
        return name;
    }

    @Override
    public long getSwitches() {
        return scheduler.stats().switches();
    }

    @Override
    public long getPasses() {
        return scheduler.stats().passes();
    }

    @Override
    public long getTimersFired() {
        return scheduler.stats().timersFired();
    }

    @Override
    public long getIoEvents() {
        return scheduler.stats().ioEvents();
    }

    @Override
    public int getLiveCoros() {
        return scheduler.stats().liveCoros();
    }

    @Override
    public int getRunQueueLength() {
        return scheduler.stats().runQueueLength();
    }

    @Override
    public int getTimerHeapSize() {
        return scheduler.stats().timerHeapSize();
    }

    @Override
    public long getPollWaitNanos() {
        return scheduler.stats().pollWaitNanos();
    }

    @Override
    public int getWaits() {
        return scheduler.stats().waits();
    }

    @Override
    public long getIterations() {
        return scheduler.stats().phases().iterations();
    }

    @Override
    public long getTimerPhases() {
        return scheduler.stats().phases().timerPhases();
    }

    @Override
    public long getRunPhases() {
        return scheduler.stats().phases().runPhases();
    }

    @Override
    public long getCutShortPhases() {
        return scheduler.stats().phases().cutShortPhases();
    }

    @Override
    public int getLargestBatch() {
        return scheduler.stats().phases().largestBatch();
    }

    @Override
    public long getPolls() {
        return scheduler.stats().phases().polls();
    }

    @Override
    public long getRunNanos() {
        return scheduler.stats().phases().runNanos();
    }

    @Override
    public String getSwitcher() {
        return scheduler.switcherName();
    }

    @Override
    public String getPoller() {
        return scheduler.pollerName();
    }

    @Override
    public boolean isVirtualTime() {
        return virtualTime;
    }

    @Override
    public String dump() {
        return scheduler.dump();
    }

    @Override
    public boolean isProfilerRunning() {
        return scheduler.profiler().isRunning();
    }

    @Override
    public void startProfiler() {
        scheduler.profiler().start();
    }

    @Override
    public void stopProfiler() {
        scheduler.profiler().stop();
    }

    @Override
    public Profiler.Report profile() {
        return scheduler.profiler().report();
    }

    @Override
    public String profileTable() {
        return scheduler.profiler().report().table();
    }

    @Override
    public SchedulerDump dumpState() {
        return scheduler.dumpState();
    }
}
