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
 * <p>Invariants, on {@link #state} (an int, changed by CAS or release stores):
 * <ul>
 *   <li>{@code >= 0} and even: not mounted (0 = never run, else an epoch that grows by 2 per run and
 *       wraps from {@code WALKING - 2} to 2) — its chunk is stable and may be walked; odd: mounted and
 *       running on the backend's scheduler thread; {@link #DONE}: the body has ended.</li>
 *   <li>Only the scheduler thread moves a coro between even and odd (in {@link #beginRun} and
 *       {@link #endRun}); another thread that wants to walk a suspended stack first CASes
 *       {@code s -> s | WALKING}, so a resume cannot thaw the chunk under the walk, and restores
 *       {@code s} afterwards. The resume then spins until the walk ends (microseconds, rare).</li>
 *   <li>The epoch in {@code state} changes on every resume and suspend, so a reader that sees the
 *       same odd value before and after looking at the carrier's stack saw one uninterrupted run.</li>
 * </ul>
 * {@link #prev}/{@link #next} belong to {@link LiveCoroutines}.
 *
 * <p>Memory: a suspended coro is this object, its stack chunk and what its body holds. The body is
 * the continuation's target itself (or, for a lambda, the one shared {@link Entry}), and an unnamed
 * coro keeps no name (the host names it when a message needs it).
 */
final class NativeCoroutine extends Continuation implements Coroutine {

    /** One scope for the JVM: yields delimit at the innermost coro of any native backend. */
    static final ContinuationScope SCOPE = new ContinuationScope("coro");

    static final int NOT_STARTED = 0;
    static final int DONE = -1;
    static final int WALKING = 1 << 30;
    private static final StackTraceElement[] NO_FRAMES = new StackTraceElement[0];

    private static final VarHandle STATE;
    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(NativeCoroutine.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
        // Loaded now rather than at the first pinned suspend, which may run inside a class
        // initializer or with little stack left.
        PinnedMessages.load();
    }

    final NativeSwitchBackend backend;
    /** Null for an unnamed coro (see {@link #name()}). */
    private final String name;
    private final Object attachment;
    private final Runnable body;

    private int state = NOT_STARTED;
    NativeCoroutine prev, next;

    NativeCoroutine(NativeSwitchBackend backend, String name, Runnable body, Object attachment) {
        // The body is the target itself (one frame less per stack), unless its run() frame would be
        // hidden from traces (a lambda's): then Entry runs it (see wholeBody).
        super(SCOPE, body.getClass().isHidden() ? Entry.INSTANCE : body);
        this.backend = backend;
        this.name = name;
        this.attachment = attachment;
        this.body = body;
    }

    /**
     * The target of a coro whose body's class is hidden (a lambda, whose frames traces leave out), so
     * that every body has a visible bottom frame: the body's own {@code run()} or this one's. That lets
     * a trace tell a whole body from part of one: the VM thaws a resumed continuation's frames lazily
     * (a return barrier brings the rest back as frames return), and a thread dump taken meanwhile shows
     * only the frames thawed so far. One instance serves all: it runs the body of the continuation it
     * is the target of.
     */
    private static final class Entry implements Runnable {
        static final Entry INSTANCE = new Entry();
        static final String CLASS = Entry.class.getName();

        @Override
        public void run() {
            ((NativeCoroutine) Continuation.getCurrentContinuation(SCOPE)).body.run();
        }
    }

    /**
     * {@code frames} if they reach down to the body's bottom frame (without Entry's, for a hidden
     * body); null if they do not: a partial body.
     */
    private StackTraceElement[] wholeBody(StackTraceElement[] frames) {
        int last = frames.length - 1;
        if (last < 0 || !"run".equals(frames[last].getMethodName())) {
            return null;
        }
        String bottom = frames[last].getClassName();
        if (body.getClass().isHidden()) {
            return Entry.CLASS.equals(bottom) ? java.util.Arrays.copyOf(frames, last) : null;
        }
        return declaresRun(body.getClass(), bottom) ? frames : null;
    }

    /** Whether {@code bottom} names {@code k}, one of its superclasses or interfaces: where its run() may be declared. */
    private static boolean declaresRun(Class<?> k, String bottom) {
        for (; k != null; k = k.getSuperclass()) {
            if (k.getName().equals(bottom)) {
                return true;
            }
            for (Class<?> i : k.getInterfaces()) {
                if (declaresRun(i, bottom)) {
                    return true;
                }
            }
        }
        return false;
    }

    @Override
    public String name() {
        return name != null ? name : backend.nameOf(attachment);
    }

    @Override
    public Object attachment() {
        return attachment;
    }

    // isDone() is Continuation's: true once the body has returned or thrown.

    int state() {
        return (int) STATE.getAcquire(this);
    }

    /** Scheduler thread, before run(): even -> odd. Returns the even state it started from. */
    int beginRun() {
        int s = state;
        if ((s & (WALKING | 1)) == 0 && s >= 0 && STATE.compareAndSet(this, s, s + 1)) {
            return s;
        }
        return beginRunSlow();
    }

    private int beginRunSlow() {
        for (int spins = 0; ; spins++) {
            int s = state();
            if (s == DONE) {
                throw new IllegalStateException("coro '" + name() + "' has ended; it cannot be resumed");
            }
            if ((s & 1) != 0) {
                throw new IllegalStateException("coro '" + name() + "' is already running; it cannot be resumed");
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
    void endRun(int started) {
        int next = started + 2;
        STATE.setRelease(this, isDone() ? DONE : next == WALKING ? 2 : next);
    }

    /**
     * Runs {@code walk} on this coro's unmounted continuation, holding off resumes meanwhile.
     * Returns null when the coro is running or mid-switch (the caller decides whether to retry).
     */
    <T> T walkUnmounted(Function<Continuation, T> walk) {
        int s = state();
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
            int s = state();
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
        StackTraceElement[] whole = wholeBody(frames);
        return StackTraces.dropBackendFrames(whole != null ? whole : frames);
    }

    /**
     * The carrier's live frames of this coro's body; null if it switched meanwhile (look again).
     * Counted from the bottom of the stack: while this coro stays mounted, the continuations
     * below it (its resumers, blocked in resume) stay put, whatever runs above it.
     */
    private StackTraceElement[] runningFrames(int running) {
        Thread thread = backend.schedulerThread();
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
        return index < 0 ? null : wholeBody(bodies.get(index)); // null: partly thawed, look again
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
        throw new CoroPinnedException(PinnedMessages.of(name(), reason));
    }

    @Override
    public String toString() {
        return "coro '" + name() + "' (native)";
    }
}
