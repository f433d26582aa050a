package dev.coro.loomswitch;

import dev.coro.CoroPinnedException;
import dev.coro.spi.Coroutine;
import dev.coro.spi.ResumeOutcome;
import dev.coro.spi.SwitchBackend;
import dev.coro.spi.SwitchHost;
import java.util.Objects;

/**
 * Switch backend {@code loom}: each coroutine is a virtual thread whose only carrier is the
 * scheduler thread.
 *
 * <p>Invariants (checked against JDK 25's {@code java.lang.VirtualThread}):
 * <ul>
 * <li>A coroutine's virtual thread has its own {@link CoroExecutor} as scheduler, which only stores
 *     the continuation task; only {@link #resume} runs that task, on the scheduler thread. So the
 *     scheduler thread is the only carrier and one coroutine runs at a time.
 * <li>{@link #suspend} is {@code Thread.yield()} with mode SUSPENDED. The JDK resubmits a yielded
 *     thread at once (on the scheduler thread, after unmounting, still inside resume), the task is
 *     stored, and since nothing but resume runs it, only a resume continues the coroutine: no park
 *     permit to manage, no spurious wake-up, and an {@code unpark} or {@code interrupt} from
 *     elsewhere does not continue it.
 * <li>A pinned virtual thread (a native frame on its stack: JNI, a class initializer) cannot
 *     unmount; the JDK's {@code Thread.yield} then returns at once without switching (its
 *     continuation ignores {@code onPinned}). The mode still being SUSPENDED afterwards tells us so
 *     exactly, and suspend throws {@link CoroPinnedException} instead of hanging the scheduler.
 * <li>After the task returns: thread terminated → DONE; mode SUSPENDED → SUSPENDED; otherwise the
 *     thread unmounted inside a JDK call (park, monitor enter, {@code Object.wait},
 *     {@code Thread.yield}) → BLOCKED. From then on, the JDK's next {@code execute} (any thread) calls
 *     {@link SwitchHost#wakeup}. If the task already arrived before resume set BLOCKED (a
 *     re-entrant submit, or another thread racing), resume calls the wake-up itself; it may come
 *     twice, never not at all.
 * <li>A resume of a BLOCKED coroutine whose task has not arrived (a duplicate wake-up) runs
 *     nothing and reports BLOCKED again. A SUSPENDED coroutine can also come back BLOCKED if another
 *     thread's stack-trace probe held it at that instant (running the task is then a no-op and the
 *     probe resubmits it); the host gets a wake-up as for any BLOCKED coroutine.
 * </ul>
 *
 * <p>{@link #close()}: a coroutine still blocked in a JDK call then is not stranded: its continuation
 * task, whenever the JDK makes it runnable (or at once, if it already has), runs on the
 * {@link AbandonedCarrier} instead of being dropped, so it takes what the JDK handed it (a lock, a
 * permit) and the host's own checks make it unwind and end; nothing the JDK queued behind it waits
 * for ever. A coroutine still suspended in {@link #suspend} is abandoned: its virtual thread stays
 * unmounted for ever (the JDK's root container keeps it until the JVM exits). The scheduler shuts
 * every coro down before closing, so either happens only to coros that refuse to end.
 */
public final class LoomSwitchBackend implements SwitchBackend {

    private static final System.Logger LOG = System.getLogger("dev.coro.loomswitch");

    private final SwitchHost host;
    private final Thread schedulerThread;
    private final String description;
    private volatile boolean closed;

    /** The coroutine inside {@link #resume}; scheduler thread only (its virtual threads run on it). */
    private LoomCoroutine current;

    /** Coroutines whose last resume ended BLOCKED; scheduler thread only (close hands them on). */
    private final java.util.Set<LoomCoroutine> blocked =
            java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());

    LoomSwitchBackend(SwitchHost host, String description) {
        this.host = Objects.requireNonNull(host, "host");
        this.schedulerThread = Objects.requireNonNull(host.schedulerThread(), "host.schedulerThread()");
        this.description = description;
        if (schedulerThread.isVirtual()) {
            // A virtual thread cannot carry another one (VirtualThread.runContinuation throws).
            throw new IllegalArgumentException("the loom backend needs a platform scheduler thread, not "
                    + schedulerThread);
        }
    }

    @Override
    public String name() {
        return LoomSwitchProvider.NAME;
    }

    @Override
    public String describe() {
        return description;
    }

    @Override
    public Coroutine create(String name, Runnable body, Object attachment) {
        Objects.requireNonNull(body, "body");
        checkOpen();
        // A virtual thread is named when made (JDK thread dumps show it), so an unnamed coro is named now.
        return new LoomCoroutine(this, name != null ? name : host.nameOf(attachment), attachment, body);
    }

    @Override
    public ResumeOutcome resume(Coroutine coroutine) {
        LoomCoroutine c = own(coroutine);
        if (Thread.currentThread() != schedulerThread) {
            throw new IllegalStateException("resume(" + c.name() + ") must run on the scheduler thread "
                    + schedulerThread.getName() + ", not on " + Thread.currentThread());
        }
        checkOpen();
        int before = c.mode;
        if (before == LoomCoroutine.DONE) {
            throw new IllegalStateException("coroutine " + c.name() + " is done; it cannot be resumed");
        }
        if (before == LoomCoroutine.RUNNING) {
            throw new IllegalStateException("coroutine " + c.name() + " is already running");
        }
        if (before == LoomCoroutine.BLOCKED) {
            blocked.remove(c);
        }
        c.setMode(LoomCoroutine.RUNNING);
        if (before == LoomCoroutine.NEW) {
            start(c); // the JDK calls our executor re-entrantly: the task is now stored
        }
        Runnable task = c.takeTask();
        if (task != null) {
            current = c;
            try {
                task.run(); // mounts the virtual thread here until it yields, parks, blocks or ends
            } finally {
                current = null;
            }
        }
        if (!c.thread.isAlive()) {
            c.mode = LoomCoroutine.DONE;
            Throwable failure = c.failure;
            if (failure != null) {
                throw LoomSwitchBackend.<RuntimeException>sneaky(failure);
            }
            return ResumeOutcome.DONE;
        }
        if (c.mode == LoomCoroutine.SUSPENDED) {
            return ResumeOutcome.SUSPENDED;
        }
        c.mode = LoomCoroutine.BLOCKED;
        blocked.add(c);
        if (c.hasTask()) {
            wakeup(c); // runnable already: a re-entrant submit (Thread.yield, unpark) or a racing thread
        }
        return ResumeOutcome.BLOCKED;
    }

    private static void start(LoomCoroutine c) {
        try {
            c.thread.start();
        } catch (RuntimeException | Error e) {
            c.mode = LoomCoroutine.DONE; // the JDK marked the thread terminated
            throw e;
        }
    }

    @Override
    public void suspend() {
        LoomCoroutine c = current;
        if (c == null || Thread.currentThread() != c.thread) {
            throw new IllegalStateException("suspend() must be called by a running coroutine of this loom "
                    + "backend, not by " + Thread.currentThread());
        }
        c.setMode(LoomCoroutine.SUSPENDED);
        Thread.yield();
        if (c.mode == LoomCoroutine.SUSPENDED) {
            // Only resume sets another mode, so the yield did not switch: the thread is pinned.
            c.mode = LoomCoroutine.RUNNING;
            throw new CoroPinnedException("coro " + c.name() + " cannot suspend: a native frame (JNI or "
                    + "class initializer) on its stack pins it to the scheduler thread; it goes on running");
        }
    }

    @Override
    public void interruptBlocked(Coroutine coroutine) {
        LoomCoroutine c = own(coroutine);
        // Only a BLOCKED coroutine is inside a JDK call; interrupting a suspended one would only leave
        // a stale interrupt status for its next JDK call.
        if (c.mode == LoomCoroutine.BLOCKED) {
            c.thread.interrupt(); // unparks it: the wake-up comes through our executor
        }
    }

    /**
     * Closes the backend (scheduler thread, after the run). {@code closed} is set before the blocked
     * coroutines' tasks are taken, and {@link #wakeup} reads it before taking: a task stored by a
     * racing JDK thread is therefore taken by one side or the other, never by neither.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (LoomCoroutine c : blocked) {
            Runnable task = c.takeTask();
            if (task != null) {
                AbandonedCarrier.run(task); // runnable already; its wake-up went to the ended run
            }
        }
        blocked.clear();
    }

    /** The JDK made a BLOCKED coroutine runnable; any thread. Never throws into the JDK. */
    void wakeup(LoomCoroutine c) {
        if (closed) {
            Runnable task = c.takeTask();
            if (task != null) {
                AbandonedCarrier.run(task); // see the class comment: never strand a JDK hand-off
            }
            return;
        }
        try {
            host.wakeup(c);
        } catch (Throwable t) {
            // Throwing back into the JDK's submit would strand the virtual thread; report and go on.
            try {
                LOG.log(System.Logger.Level.ERROR, "SwitchHost.wakeup(" + c.name() + ") threw", t);
            } catch (Throwable logFailure) {
                // The logger failed too (e.g. out of fds): nothing more to do on a JDK thread.
            }
        }
    }

    Thread schedulerThread() {
        return schedulerThread;
    }

    private LoomCoroutine own(Coroutine coroutine) {
        if (coroutine instanceof LoomCoroutine c && c.backend() == this) {
            return c;
        }
        throw new IllegalArgumentException("not a coroutine of this loom backend: " + coroutine);
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("the loom switch backend is closed");
        }
    }

    @SuppressWarnings("unchecked")
    private static <T extends Throwable> T sneaky(Throwable t) throws T {
        throw (T) t; // the body is a Runnable: rethrow its checked exceptions unchanged too
    }
}
