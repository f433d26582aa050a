package dev.coro.tck.teeth;

import dev.coro.CoroPinnedException;
import dev.coro.spi.Coroutine;
import dev.coro.spi.ResumeOutcome;
import dev.coro.spi.SwitchBackend;
import dev.coro.spi.SwitchHost;
import dev.coro.spi.SwitchProvider;
import dev.coro.tck.example.HandoffSwitchProvider;
import dev.coro.tck.example.ThreadPerCoroutineSwitchProvider;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Deliberately broken switch backends: the handoff backend (or {@link PinsInInitializers}, a correct
 * pinning one over thread-per-coroutine) wrapped so that each breaks one sentence of the SPI javadoc or of SPEC.md §4.
 * Those registered as {@code broken-*} in this module's test resources can run under a scheduler
 * too. Invariants: each breaks exactly what its javadoc says, deterministically (counts are per
 * opened backend, never per JVM), and nothing it leaves behind outlives the teeth test by more
 * than a bounded wait ({@link #release()}).
 */
public final class BrokenSwitchProviders {
    private BrokenSwitchProviders() {
    }

    /** Released by KitHasTeethTest at its end: what the leaking variants left waits on it. */
    private static final CountDownLatch RELEASE = new CountDownLatch(1);

    static void release() {
        RELEASE.countDown();
    }

    private static void awaitRelease(long seconds) {
        try {
            RELEASE.await(seconds, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Base: delegates everything to a handoff backend; coroutines are wrapped so that a variant can change them. */
    abstract static class Wrapping implements SwitchProvider {
        private final String name;

        Wrapping(String name) {
            this.name = name;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public int priority() {
            return -1;
        }

        @Override
        public Optional<String> unavailableReason() {
            return Optional.empty();
        }

        /** The correct backend this variant breaks. */
        SwitchBackend inner(SwitchHost host) {
            return new HandoffSwitchProvider().open(host);
        }

        @Override
        public SwitchBackend open(SwitchHost host) {
            return new Backend(inner(host), host);
        }

        Coroutine create(Backend b, String n, Runnable body, Object attachment) {
            Wrapped w = new Wrapped(b.inner.create(n, body, attachment), n, body, attachment);
            b.created.add(w);
            return w;
        }

        ResumeOutcome resume(Backend b, Wrapped c) {
            ResumeOutcome o = b.inner.resume(c.inner);
            c.resumes++;
            return o;
        }

        void suspend(Backend b) {
            b.inner.suspend();
        }

        StackTraceElement[] stackTrace(Wrapped c) {
            return c.inner.stackTrace();
        }

        String name(Wrapped c) {
            return c.inner.name();
        }

        Object attachment(Wrapped c) {
            return c.inner.attachment();
        }

        boolean isDone(Wrapped c) {
            return c.inner.isDone();
        }

        void interruptBlocked(Backend b, Wrapped c) {
            b.inner.interruptBlocked(c.inner);
        }

        String backendName() {
            return name;
        }

        String describe() {
            return name;
        }

        void close(Backend b) {
            b.inner.close();
        }

        final class Backend implements SwitchBackend {
            final SwitchBackend inner;
            final SwitchHost host;
            final List<Wrapped> created = new ArrayList<>();
            int suspends;
            int resumes;
            int closes;
            volatile boolean closed;

            Backend(SwitchBackend inner, SwitchHost host) {
                this.inner = inner;
                this.host = host;
            }

            @Override
            public String name() {
                return backendName();
            }

            @Override
            public String describe() {
                return Wrapping.this.describe();
            }

            @Override
            public Coroutine create(String n, Runnable body, Object attachment) {
                return Wrapping.this.create(this, n, body, attachment);
            }

            @Override
            public ResumeOutcome resume(Coroutine c) {
                if (closed) {
                    throw new IllegalStateException("backend closed");
                }
                resumes++;
                return Wrapping.this.resume(this, (Wrapped) c);
            }

            @Override
            public void suspend() {
                suspends++;
                Wrapping.this.suspend(this);
            }

            @Override
            public void interruptBlocked(Coroutine c) {
                Wrapping.this.interruptBlocked(this, (Wrapped) c);
            }

            @Override
            public void close() {
                closes++;
                Wrapping.this.close(this);
            }
        }

        final class Wrapped implements Coroutine {
            Coroutine inner;
            final String name;
            final Runnable body;
            final Object attachment;
            boolean started;
            int resumes;
            volatile boolean running;
            StackTraceElement[] firstTrace;

            Wrapped(Coroutine inner, String name, Runnable body, Object attachment) {
                this.inner = inner;
                this.name = name;
                this.body = body;
                this.attachment = attachment;
            }

            @Override
            public Object attachment() {
                return Wrapping.this.attachment(this);
            }

            @Override
            public String name() {
                return Wrapping.this.name(this);
            }

            @Override
            public boolean isDone() {
                return Wrapping.this.isDone(this);
            }

            @Override
            public StackTraceElement[] stackTrace() {
                return Wrapping.this.stackTrace(this);
            }
        }
    }

    /**
     * A correct pinning backend (a control, not broken): handoff, whose suspend inside a class
     * initializer throws CoroPinnedException without switching, as backends over JDK continuations do.
     */
    public static class PinsInInitializers extends Wrapping {
        public PinsInInitializers() {
            super("pins-in-initializers");
        }

        PinsInInitializers(String name) {
            super(name);
        }

        /**
         * Over platform threads: a broken variant may leave a coroutine parked inside a class
         * initializer, and a virtual thread parked there pins its carrier for good (two of them
         * stall every virtual thread of a two-core JVM, the other checks' included).
         */
        @Override
        SwitchBackend inner(SwitchHost host) {
            return new ThreadPerCoroutineSwitchProvider().open(host);
        }

        /** Its coroutines are platform threads: the limit of the backend it wraps. */
        @Override
        public int maxLiveCoroutines() {
            return new ThreadPerCoroutineSwitchProvider().maxLiveCoroutines();
        }

        static boolean inInitializer() {
            return StackWalker.getInstance().walk(frames -> frames.anyMatch(f -> f.getMethodName().equals("<clinit>")));
        }

        @Override
        void suspend(Backend b) {
            if (inInitializer()) {
                pinned(b);
                return;
            }
            b.inner.suspend();
        }

        /** What a suspend while pinned does: here, right (throw, no switch). */
        void pinned(Backend b) {
            throw new CoroPinnedException("suspend() inside a class initializer: its frame cannot be switched");
        }
    }

    // ---- SwitchBackend.resume / create / ResumeOutcome ----

    /** resume() swallows a body's failure and reports DONE. */
    public static final class SwallowsFailure extends Wrapping {
        public SwallowsFailure() {
            super("broken-swallows-failure");
        }

        @Override
        ResumeOutcome resume(Backend b, Wrapped c) {
            try {
                return super.resume(b, c);
            } catch (RuntimeException | Error e) {
                return ResumeOutcome.DONE;
            }
        }
    }

    /** resume() rethrows a body's failure wrapped in another exception, not the same object. */
    public static final class WrapsFailure extends Wrapping {
        public WrapsFailure() {
            super("broken-wraps-failure");
        }

        @Override
        ResumeOutcome resume(Backend b, Wrapped c) {
            try {
                return super.resume(b, c);
            } catch (RuntimeException e) {
                throw new IllegalStateException("the body failed", e);
            }
        }
    }

    /** A coroutine whose body threw never reports isDone() (resume rethrows without marking it done). */
    public static final class NotDoneAfterFailure extends Wrapping {
        private final Set<Object> failed = ConcurrentHashMap.newKeySet();

        public NotDoneAfterFailure() {
            super("broken-not-done-after-failure");
        }

        @Override
        ResumeOutcome resume(Backend b, Wrapped c) {
            try {
                return super.resume(b, c);
            } catch (RuntimeException e) {
                failed.add(c);
                throw e;
            }
        }

        @Override
        boolean isDone(Wrapped c) {
            return !failed.contains(c) && super.isDone(c);
        }
    }

    /** resume(c) runs another started, suspended coroutine when there is one. */
    public static final class RunsAnotherCoroutine extends Wrapping {
        public RunsAnotherCoroutine() {
            super("broken-wrong-coroutine");
        }

        @Override
        ResumeOutcome resume(Backend b, Wrapped c) {
            Wrapped run = c;
            for (Wrapped w : b.created) {
                if (w != c && w.started && !w.isDone()) {
                    run = w;
                }
            }
            run.started = true;
            return b.inner.resume(run.inner);
        }
    }

    /** create() runs the body at once, up to its first suspend, instead of giving a coroutine that has not run. */
    public static final class StartsAtCreate extends Wrapping {
        public StartsAtCreate() {
            super("broken-starts-at-create");
        }

        @Override
        Coroutine create(Backend b, String n, Runnable body, Object attachment) {
            Wrapped w = (Wrapped) super.create(b, n, body, attachment);
            b.inner.resume(w.inner);
            return w;
        }
    }

    /** Every 7th resume of a backend returns SUSPENDED without running the coroutine at all. */
    public static final class ReturnsWithoutRunning extends Wrapping {
        public ReturnsWithoutRunning() {
            super("broken-returns-without-running");
        }

        @Override
        ResumeOutcome resume(Backend b, Wrapped c) {
            return b.resumes % 7 == 0 ? ResumeOutcome.SUSPENDED : super.resume(b, c);
        }
    }

    /** Every 5th resume that ends in SUSPENDED is reported BLOCKED (and no wake-up ever comes). */
    public static final class ReportsBlockedForSuspended extends Wrapping {
        public ReportsBlockedForSuspended() {
            super("broken-reports-blocked");
        }

        @Override
        ResumeOutcome resume(Backend b, Wrapped c) {
            ResumeOutcome o = super.resume(b, c);
            return o == ResumeOutcome.SUSPENDED && b.resumes % 5 == 0 ? ResumeOutcome.BLOCKED : o;
        }
    }

    /** A resume of a done coroutine runs its body again from the start instead of refusing. */
    public static final class RerunsDoneCoroutine extends Wrapping {
        public RerunsDoneCoroutine() {
            super("broken-reruns-done");
        }

        @Override
        ResumeOutcome resume(Backend b, Wrapped c) {
            if (c.inner.isDone()) {
                c.inner = b.inner.create(c.name, c.body, c.attachment);
            }
            return super.resume(b, c);
        }
    }

    /** interruptBlocked() of a coroutine that is not BLOCKED abandons it: its next resume reports DONE without running it. */
    public static final class InterruptBlockedEndsSuspended extends Wrapping {
        private final Set<Object> ended = ConcurrentHashMap.newKeySet();

        public InterruptBlockedEndsSuspended() {
            super("broken-interrupt-blocked");
        }

        @Override
        void interruptBlocked(Backend b, Wrapped c) {
            ended.add(c);
        }

        @Override
        ResumeOutcome resume(Backend b, Wrapped c) {
            return ended.contains(c) ? ResumeOutcome.DONE : super.resume(b, c);
        }
    }

    // ---- SwitchBackend.suspend ----

    /**
     * Every second suspend() returns at once without switching (as if it silently ignored a pin).
     * Only every second one, so that a wait loop still gets out (the kit's check, not a hang).
     */
    public static final class SkipsSuspend extends Wrapping {
        public SkipsSuspend() {
            super("broken-skips-suspend");
        }

        @Override
        void suspend(Backend b) {
            if (b.suspends % 2 == 1) {
                b.inner.suspend();
            }
        }
    }

    /** Every 100th suspend() of a backend returns at once without switching: right for the first 99. */
    public static final class SkipsEveryHundredthSuspend extends Wrapping {
        public SkipsEveryHundredthSuspend() {
            super("broken-skips-every-100th-suspend");
        }

        @Override
        void suspend(Backend b) {
            if (b.suspends % 100 != 0) {
                b.inner.suspend();
            }
        }
    }

    /**
     * A suspend made by {@code Coro.sleep} or {@code Coro.sleepUntil} returns at once without
     * switching, so every sleeper wakes at once; every other suspend (yieldSlice, join, …) switches.
     * Scheduler-level only, and deliberately narrow: it breaks §3 rule 4 and nothing else.
     */
    public static final class WakesSleepersEarly extends Wrapping {
        public WakesSleepersEarly() {
            super("broken-wakes-sleepers-early");
        }

        @Override
        void suspend(Backend b) {
            if (!calledFromASleep()) {
                b.inner.suspend();
            }
        }
    }

    /** As {@link WakesSleepersEarly}, but only every 100th sleep of a backend: caught only by long programs. */
    public static final class WakesEveryHundredthSleeperEarly extends Wrapping {
        private int sleeps;

        public WakesEveryHundredthSleeperEarly() {
            super("broken-wakes-every-100th-sleeper-early");
        }

        @Override
        public SwitchBackend open(SwitchHost host) {
            sleeps = 0;
            return super.open(host);
        }

        @Override
        void suspend(Backend b) {
            if (calledFromASleep() && ++sleeps % 100 == 0) {
                return;
            }
            b.inner.suspend();
        }
    }

    /** True if the running coroutine is inside Coro.sleep / Coro.sleepUntil (the public API frames). */
    static boolean calledFromASleep() {
        return StackWalker.getInstance().walk(frames -> frames.anyMatch(f -> f.getClassName().equals("dev.coro.Coro")
                && (f.getMethodName().equals("sleep") || f.getMethodName().equals("sleepUntil"))));
    }

    // ---- Coroutine.attachment / isDone / stackTrace ----

    /** A suspended coroutine's stack trace is empty. */
    public static final class EmptyStackTrace extends Wrapping {
        public EmptyStackTrace() {
            super("broken-empty-stack");
        }

        @Override
        StackTraceElement[] stackTrace(Wrapped c) {
            return new StackTraceElement[0];
        }
    }

    /** stackTrace() gives the trace of the coroutine's first suspension ever, not where it is now. */
    public static final class StaleStackTrace extends Wrapping {
        public StaleStackTrace() {
            super("broken-stale-stack");
        }

        @Override
        StackTraceElement[] stackTrace(Wrapped c) {
            if (c.firstTrace == null && c.resumes > 0 && !c.running) {
                c.firstTrace = super.stackTrace(c);
            }
            return c.firstTrace != null ? c.firstTrace : super.stackTrace(c);
        }

        @Override
        ResumeOutcome resume(Backend b, Wrapped c) {
            c.running = true;
            try {
                return super.resume(b, c);
            } finally {
                c.running = false;
            }
        }
    }

    /** stackTrace() of a running coroutine (its live frames) is empty; suspended ones are right. */
    public static final class NoLiveStackTrace extends Wrapping {
        public NoLiveStackTrace() {
            super("broken-no-live-stack");
        }

        @Override
        ResumeOutcome resume(Backend b, Wrapped c) {
            c.running = true;
            try {
                return super.resume(b, c);
            } finally {
                c.running = false;
            }
        }

        @Override
        StackTraceElement[] stackTrace(Wrapped c) {
            return c.running ? new StackTraceElement[0] : super.stackTrace(c);
        }
    }

    /** stackTrace() works only on the thread that opened the backend (the scheduler's); elsewhere it is empty. */
    public static final class StackTraceOnlyOnSchedulerThread extends Wrapping {
        public StackTraceOnlyOnSchedulerThread() {
            super("broken-stack-on-scheduler-thread-only");
        }

        @Override
        Coroutine create(Backend b, String n, Runnable body, Object attachment) {
            Wrapped w = (Wrapped) super.create(b, n, body, attachment);
            owners.put(w, b.host.schedulerThread());
            return w;
        }

        private final java.util.Map<Object, Thread> owners = new ConcurrentHashMap<>();

        @Override
        StackTraceElement[] stackTrace(Wrapped c) {
            return Thread.currentThread() == owners.get(c) ? super.stackTrace(c) : new StackTraceElement[0];
        }
    }

    /** attachment() is lost (null) once the coroutine has been resumed 8 times. */
    public static final class ForgetsAttachment extends Wrapping {
        public ForgetsAttachment() {
            super("broken-forgets-attachment");
        }

        @Override
        Object attachment(Wrapped c) {
            return c.resumes >= 8 ? null : super.attachment(c);
        }
    }

    /** Names an unnamed coroutine itself (as "coro") instead of asking its host. */
    public static final class IgnoresHostName extends Wrapping {
        public IgnoresHostName() {
            super("broken-ignores-host-name");
        }

        @Override
        String name(Wrapped c) {
            return c.name != null ? c.name : "coro";
        }
    }

    // ---- pins ----

    /** Over a pinning backend: only the first suspend while pinned of each backend throws; later ones switch. */
    public static final class PinsOnlyOnce extends PinsInInitializers {
        public PinsOnlyOnce() {
            super("broken-pins-only-once");
        }

        private final Set<Object> pinnedOnce = ConcurrentHashMap.newKeySet();

        @Override
        void pinned(Backend b) {
            if (pinnedOnce.add(b)) {
                super.pinned(b);
            }
            b.inner.suspend();
        }
    }

    /** Over a pinning backend: a suspend while pinned switches anyway, then throws CoroPinnedException when resumed. */
    public static final class PinsAfterSwitching extends PinsInInitializers {
        public PinsAfterSwitching() {
            super("broken-pins-after-switching");
        }

        @Override
        void pinned(Backend b) {
            b.inner.suspend();
            super.pinned(b);
        }
    }

    /** Over a pinning backend: a suspend while pinned waits (for a wake-up that never comes) instead of throwing. */
    public static final class HangsWhenPinned extends PinsInInitializers {
        public HangsWhenPinned() {
            super("broken-hangs-when-pinned");
        }

        @Override
        void pinned(Backend b) {
            awaitRelease(8); // bounded, so that the pinned carrier comes back after the teeth test gave up
            super.pinned(b);
        }
    }

    // ---- SwitchProvider / one instance per run ----

    /** open() gives the same backend every time: one instance for every run. */
    public static final class SharesOneBackend extends Wrapping {
        private SwitchBackend shared;

        public SharesOneBackend() {
            super("broken-shares-one-backend");
        }

        @Override
        public synchronized SwitchBackend open(SwitchHost host) {
            if (shared == null) {
                shared = super.open(host);
            }
            return shared;
        }
    }

    /** close() of one backend closes every backend this provider opened that is still open. */
    public static final class CloseEndsEveryBackend extends Wrapping {
        private final List<Backend> open = new ArrayList<>();

        public CloseEndsEveryBackend() {
            super("broken-close-ends-every-backend");
        }

        @Override
        public synchronized SwitchBackend open(SwitchHost host) {
            Backend b = (Backend) super.open(host);
            open.add(b);
            return b;
        }

        @Override
        synchronized void close(Backend b) {
            for (Backend o : open) {
                o.closed = true;
            }
            open.clear();
            super.close(b);
        }
    }

    /** The backend's name() is not the provider's (users select by the provider's). */
    public static final class NamedOtherwise extends Wrapping {
        public NamedOtherwise() {
            super("broken-named-otherwise");
        }

        @Override
        String backendName() {
            return "handoff";
        }
    }

    /** describe() spans several lines. */
    public static final class DescribesInSeveralLines extends Wrapping {
        public DescribesInSeveralLines() {
            super("broken-describes-in-lines");
        }

        @Override
        String describe() {
            return "broken\n  (a second line)";
        }
    }

    /** unavailableReason() has a side effect: it starts a thread that outlives it (named like the one before). */
    public static final class UnavailableReasonStartsAThread extends Wrapping {
        public UnavailableReasonStartsAThread() {
            super("broken-unavailable-reason-starts-a-thread");
        }

        @Override
        public Optional<String> unavailableReason() {
            Thread.ofPlatform().daemon().name("broken-probe").start(() -> awaitRelease(30));
            return Optional.empty();
        }
    }

    // ---- SwitchBackend.close ----

    /**
     * open() starts a helper thread (a "watchdog") that close() never stops. Every one has the same
     * name, so a check that compares thread names with those before it misses all but the first.
     */
    public static final class LeaksAThreadOnClose extends Wrapping {
        public LeaksAThreadOnClose() {
            super("broken-leaks-a-thread");
        }

        @Override
        public SwitchBackend open(SwitchHost host) {
            Thread.ofPlatform().daemon().name("coro-broken-watchdog").start(() -> awaitRelease(60));
            return super.open(host);
        }
    }

    /** A second close() throws instead of doing nothing. */
    public static final class CloseNotIdempotent extends Wrapping {
        public CloseNotIdempotent() {
            super("broken-close-not-idempotent");
        }

        @Override
        void close(Backend b) {
            if (b.closes > 1) {
                throw new IllegalStateException("already closed");
            }
            super.close(b);
        }
    }

    /** close() waits for the suspended coroutines to end (they never do) instead of abandoning them. */
    public static final class CloseWaitsForSuspended extends Wrapping {
        public CloseWaitsForSuspended() {
            super("broken-close-waits");
        }

        @Override
        void close(Backend b) {
            if (b.created.stream().anyMatch(w -> w.resumes > 0 && !w.isDone())) {
                awaitRelease(20);
            }
            super.close(b);
        }
    }

    // ---- declared limits ----

    /**
     * Declares {@code maxLiveCoroutines()} = 200 but runs out of threads at 150 live coroutines, as
     * a thread-per-coroutine backend that misjudged its machine would: create throws the JVM's
     * "unable to create native thread" (simulated: no thread is really started).
     */
    public static final class ExhaustedBelowItsLimit extends Wrapping {
        public ExhaustedBelowItsLimit() {
            super("broken-exhausted-below-its-limit");
        }

        @Override
        public int maxLiveCoroutines() {
            return 200;
        }

        @Override
        Coroutine create(Backend b, String n, Runnable body, Object attachment) {
            if (b.created.stream().filter(w -> !w.isDone()).count() >= 150) {
                throw new OutOfMemoryError("unable to create native thread: possibly out of memory or process/resource "
                        + "limits reached");
            }
            return super.create(b, n, body, attachment);
        }
    }
}
