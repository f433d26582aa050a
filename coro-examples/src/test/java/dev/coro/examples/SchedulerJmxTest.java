package dev.coro.examples;

import dev.coro.Coro;
import dev.coro.Scheduler;
import org.junit.jupiter.api.Test;

import javax.management.MBeanServer;
import javax.management.ObjectName;
import java.lang.management.ManagementFactory;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** DESIGN.md §5: a running scheduler is visible over JMX (stats and dump) and gone after its run. */
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
            assertTrue(dump.contains("'jmx-sleeper' SUSPENDED"), dump);
            sleeper.shutdown();
            return null;
        });
        assertEquals(Set.of(), server.queryNames(pattern, null), "the bean outlived the run");
    }
}
