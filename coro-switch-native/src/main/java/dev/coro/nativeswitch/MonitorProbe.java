package dev.coro.nativeswitch;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import jdk.internal.vm.Continuation;

/**
 * Which monitors a suspended continuation's frames hold, through the JDK's package-private
 * {@code java.lang.LiveStackFrame} (a StackWalker that also reports locals and monitors).
 * Reaching it takes {@code --add-opens java.base/java.lang=ALL-UNNAMED} (in coro.jvmargs for the
 * loom backend); without it {@link #unavailableReason()} says so and the watchdog lists every
 * suspended coro instead. It costs 20 us to 2 ms per coro: for the watchdog's report only.
 */
final class MonitorProbe {

    /** One frame that holds monitors, the monitors shown by identity (never the user's toString). */
    record HeldMonitors(StackTraceElement frame, List<String> monitors) {
    }

    private static final MethodHandle WALKER;   // (Continuation) StackWalker
    private static final MethodHandle MONITORS; // (Object frame) Object[]
    private static final String UNAVAILABLE;

    static {
        MethodHandle walker = null;
        MethodHandle monitors = null;
        String unavailable = null;
        try {
            Class<?> live = Class.forName("java.lang.LiveStackFrame");
            Method getStackWalker = live.getMethod("getStackWalker", Continuation.class);
            Method getMonitors = live.getMethod("getMonitors");
            getStackWalker.setAccessible(true);
            getMonitors.setAccessible(true);
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            walker = lookup.unreflect(getStackWalker);
            monitors = lookup.unreflect(getMonitors).asType(MethodType.methodType(Object[].class, Object.class));
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            unavailable = "cannot tell which coros hold monitors (" + e.getClass().getSimpleName()
                    + "); run with --add-opens java.base/java.lang=ALL-UNNAMED, as in coro.jvmargs";
        }
        WALKER = walker;
        MONITORS = monitors;
        UNAVAILABLE = unavailable;
    }

    private MonitorProbe() {
    }

    /** Null when the probe works in this JVM. */
    static String unavailableReason() {
        return UNAVAILABLE;
    }

    /**
     * The frames of {@code c} that hold monitors, innermost first; empty when none. {@code c}
     * must be unmounted for the whole call (see {@link NativeCoroutine#walkUnmounted}).
     */
    static List<HeldMonitors> heldBy(Continuation c) {
        if (UNAVAILABLE != null) {
            throw new IllegalStateException(UNAVAILABLE);
        }
        StackWalker walker;
        try {
            walker = (StackWalker) WALKER.invokeExact(c);
        } catch (Throwable t) {
            throw new IllegalStateException("LiveStackFrame walker failed", t);
        }
        List<HeldMonitors> held = new ArrayList<>();
        walker.forEach(frame -> {
            Object[] objects = monitorsOf(frame);
            if (objects != null && objects.length > 0) {
                List<String> names = new ArrayList<>(objects.length);
                for (Object o : objects) {
                    names.add(o == null ? "null" : Objects.toIdentityString(o));
                }
                held.add(new HeldMonitors(frame.toStackTraceElement(), names));
            }
        });
        return held;
    }

    private static Object[] monitorsOf(Object frame) {
        try {
            return (Object[]) MONITORS.invokeExact(frame);
        } catch (Throwable t) {
            return null;
        }
    }
}
