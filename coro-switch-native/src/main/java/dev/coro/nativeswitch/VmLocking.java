package dev.coro.nativeswitch;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.management.ManagementFactory;

/**
 * Whether this JVM runs in strict monitor mode. With {@code -XX:LockingMode=1} (legacy stack
 * locking; JDK 24 and 25 only, deprecated) the VM refuses to yield a continuation that holds a
 * monitor and calls {@code onPinned(MONITOR)}; in the default mode it yields, which is the trap.
 * The flag cannot change while the JVM runs, so the answer is computed once.
 */
final class VmLocking {

    static final String STRICT_FLAG = "-XX:LockingMode=1";

    private VmLocking() {
    }

    static boolean strictMonitorMode() {
        return Holder.STRICT;
    }

    private static final class Holder {
        static final boolean STRICT = detect();
    }

    private static boolean detect() {
        try {
            HotSpotDiagnosticMXBean hotspot = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
            return hotspot != null && "1".equals(hotspot.getVMOption("LockingMode").getValue());
        } catch (RuntimeException | LinkageError e) {
            // Not HotSpot, no jdk.management module, or a JDK without the option (26+): not strict.
            return false;
        }
    }
}
