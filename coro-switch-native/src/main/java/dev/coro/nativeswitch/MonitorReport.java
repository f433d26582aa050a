package dev.coro.nativeswitch;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * The text the watchdog logs when the scheduler thread is stuck entering a monitor: which
 * monitor (when the JVM can name it), the blocked coro and its stack, the suspended coros that
 * hold monitors (or all of them, capped, when that cannot be told), and the fix.
 *
 * <p>Built on the watchdog thread while the scheduler thread is stuck, so the coros' stacks hold
 * still; every walk still goes through {@link NativeCoroutine#walkUnmounted} in case the
 * scheduler thread wakes up meanwhile. Bounded: at most {@link #MAX_LISTED} coros shown,
 * {@link #MAX_INSPECTED} inspected, {@link #INSPECT_BUDGET_NANOS} spent walking.
 */
final class MonitorReport {

    static final String END = "(end of coro native monitor watchdog report)";
    static final int MAX_LISTED = 20;
    static final int MAX_INSPECTED = 10_000;
    static final long INSPECT_BUDGET_NANOS = TimeUnit.SECONDS.toNanos(2);
    private static final int MAX_FRAMES = 40;

    private MonitorReport() {
    }

    static String build(NativeSwitchBackend backend, Thread scheduler, NativeCoroutine running,
            long thresholdMillis, BooleanSupplier cancelled) {
        StringBuilder out = new StringBuilder(4096);
        out.append("coro native backend: the scheduler thread '").append(scheduler.getName())
                .append("' has been BLOCKED entering a synchronized monitor for over ").append(thresholdMillis)
                .append(" ms, inside coro '").append(running.name()).append("'; no other coro can run meanwhile.\n");

        ThreadInfo info = threadInfo(scheduler);
        String lockName = info == null ? null : info.getLockName();
        long ownerId = info == null ? -1 : info.getLockOwnerId();
        out.append("Monitor: ").append(lockName != null ? lockName
                : "not named by the JVM (a lock whose owner is a suspended coro's saved stack usually is not)");
        if (ownerId != -1) {
            out.append(", owned by thread '").append(info.getLockOwnerName()).append("'");
        }
        out.append('\n');
        if (ownerId != -1 && ownerId != scheduler.threadId()) {
            out.append("Cause: another thread holds the monitor. Any JDK blocking call, a contended synchronized "
                    + "included, blocks the whole scheduler thread with the native backend.\n");
        } else {
            out.append("Cause: a synchronized block held across a coro switch. A coro suspended inside "
                    + "synchronized (...) and keeps the monitor while suspended; this coro, on the same scheduler "
                    + "thread, now waits for it and will wait for ever, since the holder can only be resumed by "
                    + "this thread.\n");
        }

        out.append("Blocked coro '").append(running.name()).append("' (running):\n");
        appendFrames(out, running.stackTrace());
        appendSuspended(out, backend, running, cancelled);

        out.append("Fix: never hold a synchronized monitor across a switch; use dev.coro.sync.Mutex. For strict mode, "
                + "where such a switch fails at once with CoroPinnedException, run with ")
                .append(VmLocking.STRICT_FLAG).append(" (JDK 24/25).\n");
        out.append(END);
        return out.toString();
    }

    private static ThreadInfo threadInfo(Thread t) {
        try {
            return ManagementFactory.getThreadMXBean().getThreadInfo(t.threadId(), 0);
        } catch (RuntimeException | LinkageError e) {
            return null;
        }
    }

    private static void appendSuspended(StringBuilder out, NativeSwitchBackend backend, NativeCoroutine running,
            BooleanSupplier cancelled) {
        String probeProblem = MonitorProbe.unavailableReason();
        List<String> entries = new ArrayList<>();
        int[] counts = new int[3]; // suspended, not started, inspected
        long deadline = System.nanoTime() + INSPECT_BUDGET_NANOS;
        backend.live().forEach(c -> {
            if (cancelled.getAsBoolean()) {
                return false;
            }
            long s = c.state();
            if (c == running || s < 0 || (s & 1) != 0) {
                return true; // running, ended, or mounted below the running one
            }
            if (s == NativeCoroutine.NOT_STARTED) {
                counts[1]++;
                return true;
            }
            counts[0]++;
            if (probeProblem == null) {
                if (counts[2] < MAX_INSPECTED && System.nanoTime() < deadline && entries.size() < MAX_LISTED) {
                    counts[2]++;
                    inspect(c, entries);
                }
            } else if (entries.size() < MAX_LISTED) {
                entries.add(entry(c, null));
            }
            return true;
        });
        if (probeProblem == null) {
            out.append("Suspended coros holding monitors: ").append(entries.size())
                    .append(" found among ").append(counts[2]).append(" inspected of ").append(counts[0])
                    .append(" suspended (").append(counts[1]).append(" more not started yet)")
                    .append(entries.isEmpty() ? ".\n" : ":\n");
        } else {
            out.append("Suspended coros: ").append(counts[0]).append(" (").append(counts[1])
                    .append(" more not started yet); ").append(probeProblem).append(". The first ")
                    .append(entries.size()).append(":\n");
        }
        entries.forEach(out::append);
    }

    private static void inspect(NativeCoroutine c, List<String> entries) {
        List<MonitorProbe.HeldMonitors> held;
        try {
            held = c.walkUnmounted(MonitorProbe::heldBy);
        } catch (RuntimeException e) {
            return;
        }
        if (held != null && !held.isEmpty()) {
            entries.add(entry(c, held));
        }
    }

    private static String entry(NativeCoroutine c, List<MonitorProbe.HeldMonitors> held) {
        StringBuilder e = new StringBuilder();
        e.append("  coro '").append(c.name()).append("' (suspended)");
        if (held != null) {
            e.append(" holds");
            for (MonitorProbe.HeldMonitors h : held) {
                e.append(' ').append(String.join(", ", h.monitors())).append(" (locked in ").append(h.frame()).append(')');
            }
        }
        e.append(":\n");
        appendFrames(e, c.stackTrace());
        return e.toString();
    }

    private static void appendFrames(StringBuilder out, StackTraceElement[] frames) {
        int n = Math.min(frames.length, MAX_FRAMES);
        for (int i = 0; i < n; i++) {
            out.append("\tat ").append(frames[i]).append('\n');
        }
        if (frames.length > n) {
            out.append("\t... ").append(frames.length - n).append(" more\n");
        } else if (frames.length == 0) {
            out.append("\t(no frames)\n");
        }
    }
}
