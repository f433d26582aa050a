package dev.coro.nativeswitch;

import dev.coro.spi.Coroutine;
import dev.coro.spi.ResumeOutcome;
import dev.coro.spi.SwitchBackend;
import dev.coro.spi.SwitchHost;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Objects;
import jdk.internal.vm.Continuation;

/**
 * The {@code native} switch backend: each coro is a {@link Continuation} run directly on the
 * scheduler thread; suspend yields it, the VM copies its frames to the heap, and {@code run}
 * copies them back (shrapnel's stack copying, done by the VM).
 *
 * <p>A coro never {@link ResumeOutcome#BLOCKED blocks}: a JDK blocking call (sleep, a j.u.c lock,
 * a JDK socket, a contended {@code synchronized}) blocks the scheduler thread and with it every
 * coro, as in shrapnel. Never hold a {@code synchronized} monitor across a switch (see
 * {@link MonitorWatchdog} and the module README); use {@code dev.coro.sync.Mutex}.
 *
 * <p>Invariants: {@link #current} is the innermost running coro of this backend (null between
 * resumes); only the scheduler thread changes it and the list of live coros, so the switch path
 * takes no lock. The watchdog, when there is one, reads both from its own thread without
 * slowing the switch path.
 */
public final class NativeSwitchBackend implements SwitchBackend {

    private static final VarHandle CURRENT;
    static {
        try {
            CURRENT = MethodHandles.lookup().findVarHandle(NativeSwitchBackend.class, "current", NativeCoroutine.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final SwitchHost host;
    private final Thread schedulerThread;
    private final boolean strictMonitorMode;
    private final WatchdogSettings watchdogSettings;
    private final LiveCoroutines live = new LiveCoroutines();
    private final MonitorWatchdog watchdog; // null in strict mode or when disabled
    private NativeCoroutine current;
    private volatile boolean closed;

    private NativeSwitchBackend(SwitchHost host, boolean strictMonitorMode, WatchdogSettings settings) {
        this.host = host;
        this.schedulerThread = Objects.requireNonNull(host.schedulerThread(), "host.schedulerThread()");
        this.strictMonitorMode = strictMonitorMode;
        this.watchdogSettings = settings;
        this.watchdog = strictMonitorMode || !settings.enabled() ? null : new MonitorWatchdog(this, settings);
    }

    /** Strict mode, when the JVM has it, makes the watchdog unnecessary: the switch itself fails. */
    static NativeSwitchBackend open(SwitchHost host, WatchdogSettings settings) {
        NativeSwitchBackend backend = new NativeSwitchBackend(host, VmLocking.strictMonitorMode(), settings);
        if (backend.watchdog != null) {
            backend.watchdog.start();
        }
        return backend;
    }

    @Override
    public String name() {
        return NativeSwitchProvider.NAME;
    }

    @Override
    public String describe() {
        if (strictMonitorMode) {
            return "native (strict monitor mode: " + VmLocking.STRICT_FLAG + ")";
        }
        String watch = watchdogSettings.enabled()
                ? "monitor watchdog after " + watchdogSettings.thresholdMillis() + " ms"
                : "monitor watchdog off (" + WatchdogSettings.PROPERTY + "=0)";
        return "native (" + watch + "; run with " + VmLocking.STRICT_FLAG + " for strict mode)";
    }

    /** True when a suspend while holding a {@code synchronized} monitor fails with CoroPinnedException. */
    public boolean strictMonitorMode() {
        return strictMonitorMode;
    }

    @Override
    public Coroutine create(String name, Runnable body, Object attachment) {
        Objects.requireNonNull(body, "body");
        ensureOpen();
        checkSchedulerThread("create");
        NativeCoroutine c = new NativeCoroutine(this, name, body, attachment);
        live.link(c);
        return c;
    }

    @Override
    public ResumeOutcome resume(Coroutine c) {
        NativeCoroutine n = own(c);
        ensureOpen();
        checkSchedulerThread("resume");
        NativeCoroutine outer = current;
        int started = n.beginRun();
        CURRENT.setRelease(this, n);
        try {
            n.run(); // returns when the body suspends or ends; rethrows what the body threw
        } finally {
            CURRENT.setRelease(this, outer);
            n.endRun(started);
            if (n.isDone()) {
                live.unlink(n);
            }
        }
        return n.isDone() ? ResumeOutcome.DONE : ResumeOutcome.SUSPENDED;
    }

    @Override
    public void suspend() {
        NativeCoroutine c = current;
        // The identity check also rejects another thread, and a coro of another native backend
        // (they share the scope, so yield alone would suspend the wrong one).
        if (c == null || Continuation.getCurrentContinuation(NativeCoroutine.SCOPE) != c) {
            throw new IllegalStateException("suspend() was called outside a coro of this native switch backend "
                    + "(thread '" + Thread.currentThread().getName() + "'); only a running coro can suspend");
        }
        // Pinned: onPinned throws CoroPinnedException here, and the coro goes on running.
        Continuation.yield(NativeCoroutine.SCOPE);
    }

    /** Native coros never report BLOCKED: nothing to interrupt. */
    @Override
    public void interruptBlocked(Coroutine c) {
    }

    @Override
    public void close() {
        closed = true;
        if (watchdog != null) {
            watchdog.stop();
        }
    }

    NativeCoroutine current() {
        return (NativeCoroutine) CURRENT.getAcquire(this);
    }

    Thread schedulerThread() {
        return schedulerThread;
    }

    /** The name of an unnamed coroutine, from the host. */
    String nameOf(Object attachment) {
        return host.nameOf(attachment);
    }

    LiveCoroutines live() {
        return live;
    }

    /** For tests: the watchdog's thread, or null. */
    Thread watchdogThread() {
        return watchdog == null ? null : watchdog.thread();
    }

    private NativeCoroutine own(Coroutine c) {
        if (c instanceof NativeCoroutine n && n.backend == this) {
            return n;
        }
        throw new IllegalArgumentException(c + " was not created by this native switch backend");
    }

    /** The list of live coros, current and the watchdog's target all assume the one scheduler thread. */
    private void checkSchedulerThread(String method) {
        if (Thread.currentThread() != schedulerThread) {
            throw new IllegalStateException(method + "() must be called on the scheduler thread '"
                    + schedulerThread.getName() + "', not on '" + Thread.currentThread().getName() + "'");
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("the native switch backend is closed");
        }
    }
}
