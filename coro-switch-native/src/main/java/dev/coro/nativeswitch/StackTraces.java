package dev.coro.nativeswitch;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * Trimming of raw stack traces to the frames a coro owns: without the backend's own suspend frame
 * on top, and, for a running coro, without the frames of whoever resumed it below.
 *
 * <p>A running coro's frames come from a thread dump that shows the VM's hidden frames
 * (ThreadMXBean does; {@code Thread.getStackTrace} does not). There, a mounted continuation's body
 * sits right above {@code Continuation.enter0/enter/enterSpecial}; a {@code Continuation.run}
 * without them above it means a continuation is being mounted or unmounted — no coherent answer,
 * and the caller looks again.
 */
final class StackTraces {

    static final String CONTINUATION_CLASS = "jdk.internal.vm.Continuation";
    private static final Set<String> ENTRY_METHODS = Set.of("enter0", "enter", "enterSpecial");
    private static final String BACKEND_CLASS = NativeSwitchBackend.class.getName();

    private StackTraces() {
    }

    /** Drops leading backend and continuation frames (suspend, yield): the user's call site is on top. */
    static StackTraceElement[] dropBackendFrames(StackTraceElement[] frames) {
        int from = 0;
        while (from < frames.length && isBackendOrContinuation(frames[from])) {
            from++;
        }
        return from == 0 ? frames : Arrays.copyOfRange(frames, from, frames.length);
    }

    /**
     * The bodies of the continuations mounted on a thread, innermost first, each trimmed by
     * {@link #dropBackendFrames}, from a thread dump that includes hidden frames. Null when a
     * continuation is being mounted or unmounted (a {@code run} frame without the entry frames
     * above it); that only happens at the top, since the ones below are parked in a resume.
     */
    static List<StackTraceElement[]> mountedBodies(StackTraceElement[] threadFrames) {
        List<StackTraceElement[]> bodies = new ArrayList<>(2);
        int bodyStart = 0;
        int i = 0;
        while (i < threadFrames.length) {
            if (!isContinuation(threadFrames[i])) {
                i++;
                continue;
            }
            int groupStart = i;
            boolean entry = false;
            boolean run = false;
            while (i < threadFrames.length && isContinuation(threadFrames[i])) {
                String m = threadFrames[i].getMethodName();
                entry |= ENTRY_METHODS.contains(m);
                run |= m.equals("run");
                i++;
            }
            if (entry) {
                bodies.add(dropBackendFrames(Arrays.copyOfRange(threadFrames, bodyStart, groupStart)));
                bodyStart = i;
            } else if (run) {
                return null;
            }
            // else a call into Continuation from a body (yield, pin): part of that body
        }
        return bodies;
    }

    private static boolean isContinuation(StackTraceElement e) {
        return CONTINUATION_CLASS.equals(e.getClassName());
    }

    private static boolean isBackendOrContinuation(StackTraceElement e) {
        return isContinuation(e) || BACKEND_CLASS.equals(e.getClassName());
    }
}
