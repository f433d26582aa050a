package dev.coro.nativeswitch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The synchronized trap (SPEC.md section 4), each side in its own JVM since the locking mode is
 * per JVM and the trap hangs the scheduler thread for ever.
 */
class SynchronizedTrapTest {

    @Test
    void strictModeFailsTheSwitchThatHoldsAMonitor() throws Exception {
        List<String> flags = new ArrayList<>(ChildJvm.coroJvmArgs());
        flags.add("-XX:LockingMode=1");
        try (ChildJvm child = ChildJvm.start(flags, StrictMonitorMain.class)) {
            String describe = child.awaitLine(l -> l.startsWith("DESCRIBE "), "the DESCRIBE line");
            assertEquals("DESCRIBE native (strict monitor mode: -XX:LockingMode=1)", describe);
            String result = child.awaitLine(l -> l.startsWith("RESULT "), "the RESULT line");
            assertTrue(result.startsWith("RESULT a1=SUSPENDED b1=DONE a2=DONE switchedHoldingLock=false bEntered=true pinned="),
                    result);
            assertTrue(result.contains("'coro-A'") && result.contains("synchronized monitor")
                    && result.contains("dev.coro.sync.Mutex"), result);
            assertEquals(0, child.awaitExitCode(), child.output());
        }
    }

    @Test
    void defaultModeWatchdogReportsTheBlockedSchedulerThread() throws Exception {
        List<String> flags = new ArrayList<>(ChildJvm.coroJvmArgs());
        flags.add("-D" + WatchdogSettings.PROPERTY + "=200");
        try (ChildJvm child = ChildJvm.start(flags, WatchdogMain.class)) {
            String describe = child.awaitLine(l -> l.startsWith("DESCRIBE "), "the DESCRIBE line");
            assertTrue(describe.contains("monitor watchdog after 200 ms"), describe);
            String lock = child.awaitLine(l -> l.startsWith("LOCK "), "the LOCK line").substring("LOCK ".length());
            child.awaitLine(l -> l.equals("RESUMING B"), "RESUMING B");
            child.awaitLine(l -> l.contains("BLOCKED entering a synchronized monitor"), "the watchdog report");
            child.awaitLine(l -> l.equals(MonitorReport.END), "the end of the watchdog report");
            String output = child.output();
            String report = output.substring(output.indexOf("RESUMING B"));
            assertFalse(report.contains("UNEXPECTED"), report);
            assertTrue(report.contains("SEVERE") || report.contains("ERROR"), "logged at ERROR: " + report);
            assertTrue(report.contains("inside coro 'coro-B'"), report);
            assertTrue(report.contains("synchronized block held across a coro switch"), report);
            // the blocked coro's stack, then the holder named with the monitor and its stack
            String blockedHeader = "Blocked coro 'coro-B' (running):\n";
            String topFrame = report.substring(report.indexOf(blockedHeader) + blockedHeader.length()).lines().findFirst().orElse("");
            assertTrue(report.contains(blockedHeader) && topFrame.contains(WatchdogMain.class.getName() + ".enterHeldMonitor("),
                    "the blocked coro's top frame is where it waits: " + report);
            assertTrue(report.contains("coro 'coro-A' (suspended) holds " + lock), report);
            assertTrue(report.contains(".holdAcrossSwitch("), report);
            assertTrue(report.contains("use dev.coro.sync.Mutex") && report.contains("-XX:LockingMode=1"), report);
        }
    }
}
