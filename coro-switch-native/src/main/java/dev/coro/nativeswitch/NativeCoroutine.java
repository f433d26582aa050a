package dev.coro.nativeswitch;

import dev.coro.CoroPinnedException;
import dev.coro.spi.Coroutine;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.util.List;
import java.util.function.Function;
import jdk.internal.vm.Continuation;
import jdk.internal.vm.ContinuationScope;

/**
 * One coro of the native backend: a {@link Continuation} in the scope {@link #SCOPE}; the VM
 * copies its frames to a heap stack chunk on yield and back on run.
 *
 * <p>Invariants, on {@link #state} (a long, changed by CAS or release stores):
 * <ul>
 *   <li>{@code >= 0} and even: not mounted (0 = never run, 2n = suspended n times) — its chunk is
 *       stable and may be walked; odd: mounted and running on {@link #carrier};
 *       {@link #DONE}: the body has ended.</li>
 *   <li>Only the scheduler thread moves a coro between even and odd (in {@link #beginRun} and
 *       {@link #endRun}); another thread that wants to walk a suspended stack first CASes
 *       {@code s -> s | WALKING}, so a resume cannot thaw the chunk under the walk, and restores
 *       {@code s} afterwards. The resume then spins until the walk ends (microseconds, rare).</li>
 *   <li>The epoch in {@code state} changes on every resume and suspend, so a reader that sees the
 *       same odd value before and after looking at the carrier's stack saw one uninterrupted run.</li>
 * </ul>
 * {@link #prev}/{@link #next} belong to {@link LiveCoroutines}.
 */
final class NativeCoroutine extends Continuation implements Coroutine {

    /** One scope for the JVM: yields delimit at the innermost coro of any native backend. */
    static final ContinuationScope SCOPE = new ContinuationScope("coro");

    static final long NOT_STARTED = 0;
    static final long DONE = -1;
    static final long WALKING = 1L << 62;
    private static final StackTraceElement[] NO_FRAMES = new StackTraceElement[0];

    private static final VarHandle STATE;
    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(NativeCoroutine.class, "state", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
        // Loaded now rather than at the first pinned suspend, which may run inside a class
        // initializer or with little stack left.
        PinnedMessages.load();
    }

    final NativeSwitchBackend backend;
    private final String name;
    private final Object attachment;

    private long state = NOT_STARTED;
    /** Written before the CAS that makes state odd, so a reader that sees odd sees it. */
    Thread carrier;
    NativeCoroutine prev, next;

    NativeCoroutine(NativeSwitchBackend backend, String name, Runnable body, Object attachment) {
        super(SCOPE, new BodyEntry(body));
        this.backend = backend;
        this.name = name;
        this.attachment = attachment;
    }

    /**
     * The bottom frame of every body, so that a trace can tell a whole body from part of one: the VM
     * thaws a resumed continuation's frames lazily (a return barrier brings the rest back as frames
     * return), and a thread dump taken meanwhile shows only the frames thawed so far.
     */
    private record BodyEntry(Runnable body) implements Runnable {
        static final String CLASS = BodyEntry.class.getName();

        @Override
        public void run() {
            body.run();
        }

        /** {@code frames} without its BodyEntry bottom frame; null if it has none (a partial body). */
        static StackTraceElement[] strip(StackTraceElement[] frames) {
            int last = frames.length - 1;
            if (last < 0 || !CLASS.equals(frames[last].getClassName())) {
                return null;
            }
            return java.util.Arrays.copyOf(frames, last);
        }
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Object attachment() {
        return attachment;
    }

    // isDone() is Continuation's: true once the body has returned or thrown.

    long state() {
        return (long) STATE.getAcquire(this);
    }

    /** Scheduler thread, before run(): even -> odd. Returns the even state it started from. */
    long beginRun(Thread thread) {
        carrier = thread;
        long s = state;
        if ((s & (WALKING | 1)) == 0 && s >= 0 && STATE.compareAndSet(this, s, s + 1)) {
            return s;
        }
        return beginRunSlow();
    }

    private long beginRunSlow() {
        for (int spins = 0; ; spins++) {
            long s = state();
            if (s == DONE) {
                throw new IllegalStateException("coro '" + name + "' has ended; it cannot be resumed");
            }
            if ((s & 1) != 0) {
                throw new IllegalStateException("coro '" + name + "' is already running; it cannot be resumed");
            }
            if ((s & WALKING) == 0) {
                if (STATE.compareAndSet(this, s, s + 1)) {
                    return s;
                }
            } else if (spins < 100) {
                Thread.onSpinWait(); // a stack walk takes 10-80 us
            } else {
                Thread.yield();
            }
        }
    }

    /** Scheduler thread, after run() returned or threw: odd -> even, or DONE. */
    void endRun(long started) {
        STATE.setRelease(this, isDone() ? DONE : started + 2);
    }

    /**
     * Runs {@code walk} on this coro's unmounted continuation, holding off resumes meanwhile.
     * Returns null when the coro is running or mid-switch (the caller decides whether to retry).
     */
    <T> T walkUnmounted(Function<Continuation, T> walk) {
        long s = state();
        if (s < 0 || (s & (WALKING | 1)) != 0 || !STATE.compareAndSet(this, s, s | WALKING)) {
            return null;
        }
        try {
            return walk.apply(this);
        } finally {
            STATE.setRelease(this, s);
        }
    }

    @Override
    public StackTraceElement[] stackTrace() {
        for (int attempt = 0; ; attempt++) {
            long s = state();
            if (s == DONE || s == NOT_STARTED) {
                return NO_FRAMES;
            }
            StackTraceElement[] frames = (s & 1) == 0 ? suspendedFrames() : runningFrames(s);
            if (frames != null) {
                return frames;
            }
            if (attempt > 1000) {
                return NO_FRAMES; // switching faster than we can look; a dump may live without it
            }
            Thread.yield();
        }
    }

    private StackTraceElement[] suspendedFrames() {
        StackTraceElement[] frames = walkUnmounted(Continuation::getStackTrace);
        if (frames == null) {
            return null;
        }
        StackTraceElement[] whole = BodyEntry.strip(frames);
        return StackTraces.dropBackendFrames(whole != null ? whole : frames);
    }

    /**
     * The carrier's live frames of this coro's body; null if it switched meanwhile (look again).
     * Counted from the bottom of the stack: while this coro stays mounted, the continuations
     * below it (its resumers, blocked in resume) stay put, whatever runs above it.
     */
    private StackTraceElement[] runningFrames(long running) {
        Thread thread = carrier;
        if (thread.isVirtual()) {
            return NO_FRAMES; // ThreadMXBean does not dump virtual threads
        }
        StackTraceElement[] threadFrames = threadDump(thread);
        int below = 0;
        for (Continuation p = getParent(); p != null; p = p.getParent()) {
            below++;
        }
        if (threadFrames == null || state() != running) {
            return null;
        }
        List<StackTraceElement[]> bodies = StackTraces.mountedBodies(threadFrames);
        int index = bodies == null ? -1 : bodies.size() - 1 - below;
        return index < 0 ? null : BodyEntry.strip(bodies.get(index)); // null: partly thawed, look again
    }

    /** With the VM's hidden frames, which mark where each mounted continuation begins. */
    private static StackTraceElement[] threadDump(Thread thread) {
        try {
            ThreadInfo info = ManagementFactory.getThreadMXBean().getThreadInfo(thread.threadId(), Integer.MAX_VALUE);
            return info == null ? null : info.getStackTrace();
        } catch (RuntimeException | LinkageError e) {
            return null;
        }
    }

    /**
     * Called by {@link Continuation#yield} when the VM refused to freeze this stack. Throwing
     * here makes {@code suspend()} throw at the suspension point; the coro has not switched and
     * goes on running.
     */
    @Override
    protected void onPinned(Pinned reason) {
        throw new CoroPinnedException(PinnedMessages.of(name, reason));
    }

    @Override
    public String toString() {
        return "coro '" + name + "' (native)";
    }
}
