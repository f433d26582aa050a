package dev.coro.loomswitch;

import dev.coro.spi.Coroutine;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * One coroutine: a virtual thread plus the state our backend keeps about it.
 *
 * <p>{@link #mode} says who may continue the virtual thread next; {@link #task} holds the JDK's
 * continuation task once the JDK has made the thread runnable. The JDK hands over the same
 * {@code Runnable} every time (each VirtualThread keeps one {@code runContinuation}), so a single
 * slot loses nothing, and running it when the thread is not runnable is a no-op in the JDK
 * (VirtualThread.runContinuation returns unless the state is STARTED, UNPARKED, UNBLOCKED or YIELDED).
 */
final class LoomCoroutine implements Coroutine {

    /** Created, never resumed: the virtual thread is unstarted. */
    static final int NEW = 0;
    /** Inside {@link LoomSwitchBackend#resume}: mounted on the scheduler thread, or just unmounted. */
    static final int RUNNING = 1;
    /** Yielded in our suspend(); only a resume continues it; its task is stored. */
    static final int SUSPENDED = 2;
    /** Unmounted inside a JDK call; the JDK's execute() means it can run again. */
    static final int BLOCKED = 3;
    /** The virtual thread has terminated. */
    static final int DONE = 4;

    private static final VarHandle TASK;
    private static final VarHandle MODE;

    static {
        try {
            TASK = MethodHandles.lookup().findVarHandle(LoomCoroutine.class, "task", Runnable.class);
            MODE = MethodHandles.lookup().findVarHandle(LoomCoroutine.class, "mode", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final LoomSwitchBackend backend;
    private final String name;
    private final Object attachment;
    final Thread thread;

    /**
     * Written on the scheduler thread (by resume, or by suspend inside the coroutine); read anywhere.
     * Only BLOCKED is published with a volatile store: it is the one mode another thread acts on
     * ({@link #offer}'s Dekker pairing with resume). RUNNING and SUSPENDED go out with release stores
     * ({@link #setMode}), which save a fence per switch: a JDK thread that does not see one of them yet
     * may still read BLOCKED and send a duplicate wake-up, which the host tolerates.
     */
    volatile int mode = NEW;

    /** The JDK's continuation task, stored by any thread, taken only by resume. */
    @SuppressWarnings("unused") // through TASK
    private volatile Runnable task;

    /**
     * What the body threw. Written inside the virtual thread, read by resume on the same OS thread
     * after the thread unmounted (the JDK's volatile state change orders the two).
     */
    Throwable failure;

    LoomCoroutine(LoomSwitchBackend backend, String name, Object attachment, Runnable body) {
        this.backend = backend;
        this.name = name;
        this.attachment = attachment;
        this.thread = VirtualThreads.unstarted(new CoroExecutor(this), name, () -> runBody(body));
    }

    private void runBody(Runnable body) {
        // Caught here rather than by an uncaught-exception handler: same effect, no dispatch, and
        // resume can rethrow the very object.
        try {
            body.run();
        } catch (Throwable t) {
            failure = t;
        }
    }

    /**
     * The JDK made the thread runnable ({@link CoroExecutor#execute}); any thread. Store first, then
     * read the mode: resume does the mirror image (writes BLOCKED, then reads the slot), so with
     * volatile accesses at least one side sees the other and the wake-up is never lost (it may be
     * sent twice, which the host tolerates). In every other mode the next resume runs the task itself.
     */
    void offer(Runnable continuationTask) {
        if (Thread.currentThread() == backend.schedulerThread()) {
            // Re-entrant, inside a resume on the scheduler thread (a Thread.yield, an unpark by the
            // coro itself): only this thread takes the task, and only it sets BLOCKED, so no fence.
            TASK.setRelease(this, continuationTask);
        } else {
            task = continuationTask;
        }
        if (mode == BLOCKED) {
            backend.wakeup(this);
        }
    }

    /** A mode other than BLOCKED (see {@link #mode}); scheduler thread. */
    void setMode(int m) {
        assert m != BLOCKED;
        MODE.setRelease(this, m);
    }

    /** Takes the stored task, atomically against a concurrent {@link #offer}; null if none. */
    Runnable takeTask() {
        return (Runnable) TASK.getAndSet(this, (Runnable) null);
    }

    boolean hasTask() {
        return task != null;
    }

    /** The stored task without taking it; for tests. */
    Runnable peekTask() {
        return task;
    }

    LoomSwitchBackend backend() {
        return backend;
    }

    @Override
    public Object attachment() {
        return attachment;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public boolean isDone() {
        return mode == DONE;
    }

    @Override
    public StackTraceElement[] stackTrace() {
        // Works mounted or not, from any thread. For an unmounted, runnable thread the JDK resubmits
        // the task afterwards; offer() absorbs that duplicate.
        return mode == DONE ? new StackTraceElement[0] : thread.getStackTrace();
    }

    @Override
    public String toString() {
        return "LoomCoroutine[" + name + ", " + modeName(mode) + "]";
    }

    static String modeName(int mode) {
        return switch (mode) {
            case NEW -> "new";
            case RUNNING -> "running";
            case SUSPENDED -> "suspended";
            case BLOCKED -> "blocked";
            case DONE -> "done";
            default -> "mode " + mode;
        };
    }
}
