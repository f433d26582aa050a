package dev.coro.examples;

import dev.coro.Coro;
import dev.coro.Scheduler;
import org.junit.jupiter.api.Test;

import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;
import java.lang.management.ManagementFactory;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** SPEC.md §5: a running scheduler is visible over JMX (stats, dump, profiler) and gone after its run. */
class SchedulerJmxTest {

    @Test
    void aRunningSchedulerPublishesStatsAndDumpAndRemovesItsBeanAfterTheRun() throws Exception {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        ObjectName pattern = new ObjectName("dev.coro:type=Scheduler,name=\"jmx-test#*\"");
        Scheduler s = Scheduler.builder().name("jmx-test").virtualTime().build();
        s.run(() -> {
            Coro<?> sleeper = Coro.spawn("jmx-sleeper", () -> Coro.sleep(java.time.Duration.ofDays(1)));
            Coro.yieldSlice();
            Set<ObjectName> names = server.queryNames(pattern, null);
            assertEquals(1, names.size(), "one bean for the running scheduler: " + names);
            ObjectName name = names.iterator().next();
            assertEquals(2, server.getAttribute(name, "LiveCoros"));
            assertEquals(1, server.getAttribute(name, "TimerHeapSize"));
            assertTrue((Long) server.getAttribute(name, "Switches") >= 2);
            assertEquals(s.switcherName(), server.getAttribute(name, "Switcher"));
            String dump = (String) server.invoke(name, "dump", null, null);
            assertTrue(dump.contains("'jmx-sleeper' SLEEPING"), dump);
            assertEquals(s.stats().phases().iterations(), server.getAttribute(name, "Iterations"));
            assertEquals(s.stats().phases().largestBatch(), server.getAttribute(name, "LargestBatch"));
            assertTrue((Long) server.getAttribute(name, "RunPhases") >= 1);
            assertEquals(0, server.getAttribute(name, "Waits"));
            sleeper.shutdown();
            return null;
        });
        assertEquals(Set.of(), server.queryNames(pattern, null), "the bean outlived the run");
    }

    @Test
    void theBeanSwitchesTheProfilerAndReportsItAsRecordsAndAsATable() throws Exception {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        ObjectName pattern = new ObjectName("dev.coro:type=Scheduler,name=\"jmx-profile#*\"");
        Scheduler s = Scheduler.builder().name("jmx-profile").virtualTime().build();
        s.run(() -> {
            ObjectName name = server.queryNames(pattern, null).iterator().next();
            assertEquals(false, server.getAttribute(name, "ProfilerRunning"));
            server.invoke(name, "startProfiler", null, null);
            assertEquals(true, server.getAttribute(name, "ProfilerRunning"));
            assertTrue(s.profiler().isRunning());
            Coro.yieldSlice(); // applied from the next run phase
            Coro.spawn("jmx-profiled", () -> {
                Coro.yieldSlice();
                Coro.yieldSlice();
            }).join();
            CompositeData report = (CompositeData) server.invoke(name, "profile", null, null);
            assertEquals(true, report.get("running"));
            CompositeData profiled = null;
            for (CompositeData e : (CompositeData[]) report.get("entries")) {
                if (e.get("name").equals("jmx-profiled")) {
                    profiled = e;
                }
            }
            assertTrue(profiled != null, String.valueOf(report));
            assertEquals(3L, profiled.get("resumes"));
            String table = (String) server.invoke(name, "profileTable", null, null);
            assertTrue(table.contains("jmx-profiled"), table);
            server.invoke(name, "stopProfiler", null, null);
            assertEquals(false, server.getAttribute(name, "ProfilerRunning"));
            return null;
        });
    }
}
