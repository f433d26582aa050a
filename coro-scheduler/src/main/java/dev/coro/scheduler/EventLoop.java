package dev.coro.scheduler;

import dev.coro.Coro;
import dev.coro.CoroInterruptedException;
import dev.coro.CoroShutdownException;
import dev.coro.NotInCoroException;
import dev.coro.ScheduleException;
import dev.coro.SchedulerStats;
import dev.coro.spi.CoroEngine;
import dev.coro.spi.Coroutine;
import dev.coro.spi.OsEvent;
import dev.coro.spi.Poller;
import dev.coro.spi.ResumeOutcome;
import dev.coro.spi.SwitchBackend;
import dev.coro.spi.SwitchHost;
import dev.coro.spi.SwitchProvider;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.channels.SelectableChannel;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * One run of a {@link CoroScheduler}: the loop of SPEC.md §3, and the coro operations the
 * {@link Coro} statics reach through {@link CoroEngine}.
 *
 * <p>An iteration: read the clock; fire expired timers ({@link Timeouts}); run passes (swap pending
 * into staging and resume each live entry) until pending is empty or {@code maxBatchesPerPhase}
 * batches ran; then poll, waiting at most until the next deadline (not at all if anything is
 * runnable), and take in readiness ({@link PollerWaits}) and cross-thread events (the owner's inbox).
 * Each concern lives in its own class: timers and timeouts in {@link Timeouts}, waits on the poller
 * in {@link PollerWaits}, waits for other threads in {@link ExternalWaits}, the live list and the
 * end of a coro in {@link LiveCoros}, the end of the run in {@link Shutdown}, the dump in
 * {@link LoopDump}. What stays here is the loop and the states of SPEC.md §3: a coro is scheduled
 * ({@link #schedule}) only while suspended or new and not already scheduled; it leaves the run queue
 * only by being resumed or by {@link #deliverInterrupt} moving it to the back.
 *
 * <p>Everything runs on the scheduler thread, or in a coro it resumed (one at a time), except
 * {@link #wakeup(Coroutine)}, {@link #wakeupPoller()} and the fields marked as read by other threads.
 */
final class EventLoop implements CoroEngine, SwitchHost {
    private static final System.Logger LOG = System.getLogger("dev.coro.scheduler");
    private static final VarHandle SWITCHES;

    static {
        try {
            SWITCHES = MethodHandles.lookup().findVarHandle(EventLoop.class, "switches", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Under virtual time, how long a loop that only another thread could wake waits before it reports a deadlock. */
    private static final long DEADLOCK_GRACE_NANOS = 1_000_000_000L;

    /**
     * Under virtual time, how long the loop waits for real-time work of other threads (coros blocked in
     * JDK calls, {@code Coro.blocking}, {@code Coro.await}) before the clock moves on to the next
     * deadline anyway: that work may itself wait for a coro that sleeps on the virtual clock.
     */
    private static final long REAL_TIME_GRACE_NANOS = 1_000_000_000L;

    final CoroScheduler owner;
    final SwitchBackend backend;
    final Poller poller;
    private final Thread thread;
    final boolean virtualTime;
    private final int maxBatches;

    final RunQueue runQueue = new RunQueue();
    final Timeouts timeouts = new Timeouts(this);
    final PollerWaits pollerWaits = new PollerWaits(this);
    final ExternalWaits externalWaits = new ExternalWaits(this);
    final LiveCoros live = new LiveCoros(this);
    /** The clock as read at the top of this iteration (yieldSlice deadlines use it). */
    long now;

    /** The running coro; read racily by the latency watchdog (a stale read only delays a report). */
    CoroImpl<?> current;
    /** Coros inside a JDK call (loom: BLOCKED), woken through the inbox. */
    int blockedCount;
    /** Under virtual time: since when (System.nanoTime) the loop has waited for real-time work with a timer due. */
    private long realTimeWaitSince;
    private boolean realTimeWaiting;
    private long nextId = 1;

    /** Written with opaque stores: the latency watchdog reads it from its own thread. */
    @SuppressWarnings("unused")
    private long switches;
    private long passes, ioEvents, pollWaitNanos;
    /** SchedulerStats.Phases: plain increments where the phases branch anyway; runNanos is one clock read per busy run phase. */
    private long iterations, timerPhases, runPhases, cutShortPhases, polls, runNanos;
    private int largestBatch;
    /**
     * Real time: the latest clock reading the loop may still use as the time, else NO_READ — the run
     * phase's closing one (the I/O phase computes its poll timeout from it), kept for the next
     * iteration's own read (rule 2) when the I/O phase then made no system call, or the one taken as a
     * blocking poll returned: only the inbox was taken in since (a task from it clears the reading),
     * so reading again would tell the timer phase nothing new. It saves a {@code clock_gettime} per
     * iteration (17% of a yieldSlice loop's samples under perf). When no timer can fall due
     * ({@link Timeouts#dueLater} zero) the run phase does not read either and carries this
     * iteration's own reading, for at most {@link #MAX_STALE_RUN_PHASES} phases in a row.
     */
    private long carriedClock = NO_READ;
    private static final long NO_READ = Long.MIN_VALUE;
    /**
     * Real time: run phases in a row whose closing reading was skipped because no timer could fall
     * due ({@link Timeouts#dueLater} zero), so {@link #now} is that many phases old; at
     * {@link #MAX_STALE_RUN_PHASES} the clock is read anyway, which bounds how old the stamps taken
     * from it (a wait's start, a spawn's time) can be.
     */
    private int staleRunPhases;
    private static final int MAX_STALE_RUN_PHASES = 16;
    private final LoopProfiler profiler;

    /** Set while the loop may block in poll, so that cross-thread producers know to wake it. */
    private volatile boolean polling;
    private CoroImpl<?> main;
    /**
     * Set when the run has ended (after the shutdown rounds). Coros abandoned then may still run on
     * another carrier (loom: one that was blocked in an uninterruptible JDK call); every coro
     * operation they make fails with CoroShutdownException and their end touches no loop state.
     */
    private volatile boolean ended;

    /** dev.coro.net's shared read buffer (see NetSupport.readScratch); made on first use. */
    ByteBuffer readScratch;

    /** Opens the switch backend with this loop as its host (the backend only keeps the reference). */
    EventLoop(CoroScheduler owner, SwitchProvider switchProvider, Poller poller, Thread thread) {
        this.owner = owner;
        this.poller = poller;
        this.thread = thread;
        this.virtualTime = owner.config.virtualTime();
        this.maxBatches = owner.config.maxBatchesPerPhase();
        this.profiler = owner.profiler;
        this.backend = switchProvider.open(this);
    }

    // ---------------------------------------------------------------- the loop

    <T> T run(Callable<T> mainBody) {
        now = owner.clockNow();
        CoroImpl<T> m = newCoro("main", mainBody, false, null);
        main = m;
        try {
            takeInbox();
            while (m.state != CoroImpl.DONE) {
                now = carriedClock != NO_READ ? carriedClock : owner.clockNow();
                carriedClock = NO_READ;
                iterations++;
                long fired = timeouts.fired;
                timeouts.fire(now);
                if (timeouts.fired != fired) {
                    timerPhases++;
                }
                runPhase();
                if (m.state == CoroImpl.DONE) {
                    break;
                }
                ioPhase();
            }
        } finally {
            try {
                new Shutdown(this).run();
            } finally {
                ended = true;
            }
        }
        return m.outcome();
    }

    void runPhase() {
        boolean profiling = profiler.applyRequests(); // a switch asked meanwhile applies from this phase on
        long start = virtualTime ? System.nanoTime() : now; // real time: the clock read at the top of the iteration
        carriedClock = NO_READ;
        int batch = 0;
        for (; batch < maxBatches && runQueue.swap(); batch++) {
            passes++;
            int n = 0;
            CoroImpl<?> c;
            while ((c = runQueue.next()) != null) {
                n++;
                if (profiling) {
                    resumeProfiled(c);
                } else {
                    resume(c);
                }
                if (c == main && c.state == CoroImpl.DONE) {
                    endRunPhase(batch + 1, n, start);
                    return; // rule 8: the run ends when main does; the rest of the batch is shut down
                }
            }
            if (n > largestBatch) {
                largestBatch = n;
            }
        }
        if (batch == maxBatches && runQueue.hasPending()) {
            cutShortPhases++;
        }
        endRunPhase(batch, 0, start);
    }

    private void endRunPhase(int batches, int lastBatch, long start) {
        if (lastBatch > largestBatch) {
            largestBatch = lastBatch;
        }
        if (batches > 0) {
            runPhases++;
            if (virtualTime) {
                runNanos += System.nanoTime() - start;
            } else if (timeouts.dueLater == 0 && ++staleRunPhases < MAX_STALE_RUN_PHASES) {
                // Every timer left is due by now already: a fresh reading would fire nothing more, and
                // the I/O phase will not wait for a deadline. Keep this iteration's reading (rule 2);
                // the phase's time is counted from it by the next phase that reads.
                carriedClock = now;
            } else {
                // The I/O phase and the next iteration take their clock reading from here (unless a
                // poll or a task intervenes), so this read is not an extra one.
                carriedClock = owner.clockNow();
                runNanos += carriedClock - start;
                staleRunPhases = 0;
            }
        }
    }

    private void resumeProfiled(CoroImpl<?> c) {
        long t0 = System.nanoTime();
        resume(c);
        profiler.charge(c, System.nanoTime() - t0);
    }

    private void resume(CoroImpl<?> c) {
        c.state = CoroImpl.RUNNING;
        current = c;
        SWITCHES.setOpaque(this, (long) SWITCHES.getOpaque(this) + 1);
        ResumeOutcome outcome;
        try {
            outcome = backend.resume(c.coroutine);
        } catch (Throwable t) {
            // The body wrapper catches everything, so this is a backend fault: end this coro only.
            current = null;
            LoopLog.log(LOG, System.Logger.Level.ERROR, "switch backend failed resuming " + c, t);
            if (c.state != CoroImpl.DONE) {
                c.cancel(new CoroShutdownException("switch backend failure: " + t));
                finished(c);
            }
            live.completeFutures();
            return;
        }
        current = null;
        if (live.hasDoneFutures()) {
            live.completeFutures();
        }
        if (outcome == ResumeOutcome.SUSPENDED) {
            c.state = CoroImpl.SUSPENDED;
        } else if (outcome == ResumeOutcome.BLOCKED) {
            c.state = CoroImpl.BLOCKED;
            c.waitSince = now;
            blockedCount++;
        } else if (c.state != CoroImpl.DONE) {
            // DONE, but only a broken backend ends a body without our wrapper's finally.
            c.cancel(new CoroShutdownException("switch backend ended the coro early"));
            finished(c);
        }
    }

    private void ioPhase() {
        long timeout;
        Timer next = null; // the earliest timer, looked up only when nothing is runnable
        boolean jumpClock = false;
        boolean deadlockSuspected = false;
        if (runQueue.hasPending() || owner.hasInbox()) {
            timeout = 0;
        } else if (virtualTime) {
            next = timeouts.next();
            boolean realTimeWork = blockedCount > 0 || externalWaits.awaiting > 0;
            if (next != null && (!realTimeWork || next.deadline <= owner.clockNow())) {
                timeout = 0; // (a timer already due needs no jump: the next timer phase fires it)
                jumpClock = true;
            } else if (next != null) {
                // Rule 10: other threads' work is in flight; the clock waits for it, but only for a
                // grace period of real time (that work may itself wait for a coro sleeping on this clock).
                long t = System.nanoTime();
                if (!realTimeWaiting) {
                    realTimeWaiting = true;
                    realTimeWaitSince = t;
                }
                timeout = Math.max(0, REAL_TIME_GRACE_NANOS - (t - realTimeWaitSince));
                jumpClock = timeout == 0;
            } else if (poller.registrations() > 0 || realTimeWork) {
                timeout = -1;
            } else {
                // Only another thread (submit, Fifo.pushFromAnyThread, …) could still wake a coro:
                // give it a moment of real time, then report the deadlock instead of hanging.
                timeout = DEADLOCK_GRACE_NANOS;
                deadlockSuspected = true;
            }
        } else if ((next = timeouts.next()) == null) {
            timeout = -1;
        } else if (next.deadline <= now) {
            timeout = 0; // due by this iteration's clock (a yieldSlice): no second clock read
        } else {
            timeout = Math.max(0, next.deadline - (carriedClock != NO_READ ? carriedClock : owner.clockNow()));
        }
        // With nothing to wait for and nothing registered, a poll could only find cross-thread
        // events, which the inbox already holds: skip the syscall.
        if (timeout != 0 || poller.registrations() > 0) {
            poll(timeout);
        }
        takeInbox();
        if (runQueue.hasPending()) {
            realTimeWaiting = false;
        } else if (jumpClock) {
            realTimeWaiting = false;
            owner.advanceVirtualClock(next.deadline);
        }
        if (deadlockSuspected && !runQueue.hasPending() && timeouts.isEmpty() && poller.registrations() == 0
                && blockedCount == 0 && externalWaits.awaiting == 0) {
            throw new IllegalStateException("virtual-time deadlock in scheduler '" + owner.config.name()
                    + "': every coro waits and nothing can wake them (no timer, no I/O registration, no coro "
                    + "blocked in a JDK call or awaiting a future, nothing from other threads for "
                    + DEADLOCK_GRACE_NANOS / 1_000_000 + " ms)\n" + dump());
        }
    }

    /** Polls for at most {@code timeout} ns (0: do not wait, -1: no limit); the poller wakes its waiters. */
    void poll(long timeout) {
        boolean timed = timeout != 0;
        LongPollEvent jfr = JfrEvents.longPoll(); // null until JFR starts; then scalar-replaced unless recorded
        long start = timed || (jfr != null && jfr.recorded()) ? System.nanoTime() : 0;
        int events;
        polling = true;
        polls++;
        try {
            if (timeout != 0 && owner.hasInbox()) {
                timeout = 0; // a producer may have missed the flag: do not sleep on its event
            }
            events = poller.poll(timeout, pollerWaits);
            ioEvents += events;
        } catch (IOException e) {
            throw new UncheckedIOException("poller '" + poller.name() + "' failed", e);
        } finally {
            polling = false;
        }
        carriedClock = NO_READ;
        if (start != 0) {
            long end = System.nanoTime();
            long took = end - start;
            if (timed) {
                pollWaitNanos += took;
                if (!virtualTime) {
                    carriedClock = owner.clockAt(end);
                    if (staleRunPhases > 0) {
                        runNanos += owner.clockAt(start) - now; // the phases that skipped their closing read
                        staleRunPhases = 0;
                    }
                }
            }
            if (jfr != null && jfr.recorded()) {
                jfr.report(owner.config.name(), timeout, events, took);
            }
        }
    }

    /** Takes in what other threads (and blocked-in-JDK wake-ups) left in the owner's inbox. */
    void takeInbox() {
        Object item;
        while ((item = owner.pollInbox()) != null) {
            ioEvents++;
            switch (item) {
                case CoroImpl<?> c -> {
                    if (c.loop == this && c.state == CoroImpl.BLOCKED && !c.scheduled) {
                        // Runnable again inside its JDK call: it stays BLOCKED (interrupts still go to
                        // pendingInterrupt) and is resumed by the next pass. A duplicate wake-up of a
                        // coro already scheduled is dropped here.
                        blockedCount--;
                        runQueue.add(c);
                    }
                }
                case CoroScheduler.Submission<?> s -> s.start(this);
                case Runnable r -> {
                    carriedClock = NO_READ; // a task (a dump, say) may take a while: read the clock afresh
                    try {
                        r.run();
                    } catch (RuntimeException | Error e) {
                        // A task handed to the loop (runOnLoop, a future's completion) must not end the run.
                        LoopLog.log(LOG, System.Logger.Level.ERROR, "task run on the loop of '"
                                + owner.config.name() + "' failed", e);
                    }
                }
                case CoroScheduler.CloseRequest ignored -> {
                    if (main != null && main.state != CoroImpl.DONE) {
                        endCoro(main, new CoroShutdownException("Scheduler.close() called"));
                    }
                }
                default -> throw new IllegalStateException("unknown inbox item " + item);
            }
        }
    }

    // ---------------------------------------------------------------- scheduling

    <T> CoroImpl<T> newCoro(String name, Callable<T> body, boolean reportUncaught, CompletableFuture<T> future) {
        Objects.requireNonNull(body, "coro body must not be null");
        CoroImpl<T> c = new CoroImpl<>(this, nextId++, name, body, reportUncaught, future);
        c.spawnedAt = now;
        c.coroutine = backend.create(c.givenName(), c, c); // the coro is its own body (CoroImpl.run)
        live.add(c);
        schedule(c, null);
        return c;
    }

    /** Appends {@code c} to pending with {@code value} as what its suspension point returns. */
    void schedule(CoroImpl<?> c, Object value) {
        if (c.state == CoroImpl.DONE) {
            throw new ScheduleException("cannot schedule " + c + ": it has finished");
        }
        if (c.scheduled) {
            throw new ScheduleException("cannot schedule " + c + ": it is already scheduled");
        }
        if (c.state == CoroImpl.RUNNING) {
            throw new ScheduleException("cannot schedule " + c + ": it is running");
        }
        enqueue(c, value, null);
    }

    /** Wakes {@code c} with {@code value} if it is suspended and not yet scheduled. */
    boolean wake(CoroImpl<?> c, Object value) {
        if (c.state != CoroImpl.SUSPENDED || c.scheduled) {
            return false;
        }
        enqueue(c, value, null); // (schedule's checks hold: suspended, not scheduled)
        return true;
    }

    /** Wakes {@code c} so that its suspension point throws {@code e}, if it is suspended and not scheduled. */
    boolean wakeWithException(CoroImpl<?> c, RuntimeException e) {
        if (c.state != CoroImpl.SUSPENDED || c.scheduled) {
            return false;
        }
        enqueue(c, null, e);
        return true;
    }

    /** Appends {@code c}, which may be scheduled, to pending with what its suspension point returns or throws. */
    private void enqueue(CoroImpl<?> c, Object value, RuntimeException e) {
        c.resumeValue = value;
        c.resumeException = e;
        runQueue.add(c);
    }

    /**
     * Raises {@code e} in {@code c} at its suspension point (rule 6): a scheduled coro is unscheduled
     * first; a coro inside a JDK call (BLOCKED, loom) gets it as its pending interrupt (see
     * {@link CoroImpl}) and its JDK call is interrupted.
     *
     * <p>A second interrupt before the target runs replaces the first (last wins, as shrapnel's
     * forced raise), except that a shutdown is never replaced by a plain interrupt: the coro is on
     * its way out either way, and a shutdown must not be lost.
     */
    void deliverInterrupt(CoroImpl<?> c, CoroInterruptedException e) {
        switch (c.state) {
            case CoroImpl.SUSPENDED -> {
                if (c.scheduled && c.resumeException instanceof CoroShutdownException && !(e instanceof CoroShutdownException)) {
                    return;
                }
                runQueue.remove(c);
                runQueue.add(c);
                c.resumeValue = null;
                c.resumeException = e;
            }
            case CoroImpl.BLOCKED -> {
                if (c.pendingInterrupt instanceof CoroShutdownException && !(e instanceof CoroShutdownException)) {
                    return;
                }
                c.pendingInterrupt = e;
                c.jdkInterrupted = true;
                backend.interruptBlocked(c.coroutine);
            }
            case CoroImpl.NEW -> {
                if (e instanceof CoroShutdownException s) {
                    cancel(c, s);
                } else {
                    throw new ScheduleException("cannot interrupt " + c + ": it has not started yet");
                }
            }
            default -> throw new ScheduleException("cannot interrupt " + c + ": it is " + c.stateName());
        }
    }

    /** Ends a coro that never started. */
    void cancel(CoroImpl<?> c, CoroShutdownException why) {
        runQueue.remove(c);
        c.cancel(why);
        finished(c);
    }

    /** Shuts {@code c} down whatever its state (a running coro is left to notice on its own). */
    void endCoro(CoroImpl<?> c, CoroShutdownException why) {
        if (c.state == CoroImpl.NEW) {
            cancel(c, why);
        } else if (c.state != CoroImpl.RUNNING) {
            deliverInterrupt(c, why);
        }
    }

    /** Called once per coro, as it ends (see {@link LiveCoros#finished}). Never throws. */
    void finished(CoroImpl<?> c) {
        live.finished(c, ended);
    }

    /**
     * Switches from {@code me} (the running coro) back to the loop; returns what it was scheduled
     * with, or throws the interrupt it was scheduled with. {@code on} is what it waits on, for the
     * dump ({@link CoroImpl#waitingOn}).
     */
    Object suspend(CoroImpl<?> me, Object on) {
        if (me.pendingInterrupt != null) {
            throw takePendingInterrupt(me);
        }
        if (ended) {
            throw new CoroShutdownException("the scheduler run has ended");
        }
        me.waitingOn = on;
        me.waitSince = now;
        backend.suspend();
        me.waitingOn = null;
        RuntimeException e = me.resumeException;
        Object v = me.resumeValue;
        me.resumeException = null;
        me.resumeValue = null;
        if (e != null) {
            throw e;
        }
        return v;
    }

    /**
     * Takes {@code me}'s pending interrupt (null if none), on {@code me}'s own thread: the coro is
     * leaving the interrupted wait. If the interrupt had interrupted a JDK call, the thread's interrupt
     * flag is cleared too, so that it does not fail a later, unrelated JDK call (see {@link CoroImpl}).
     */
    CoroInterruptedException takePendingInterrupt(CoroImpl<?> me) {
        CoroInterruptedException p = me.pendingInterrupt;
        me.pendingInterrupt = null;
        if (me.jdkInterrupted) {
            me.jdkInterrupted = false;
            Thread.interrupted();
        }
        return p;
    }

    /** {@link #callerFor}'s checks without its message: the running coro, or null where it would throw. */
    CoroImpl<?> callerOrNull() {
        return onLoopThread() || CoroEngine.boundOrNull() == this && !ended ? current : null;
    }

    /**
     * True on the scheduler thread while this run is in progress: there the engine bound to the thread
     * is this run (runs do not nest), which saves a ThreadLocal lookup per coro operation. A native
     * coro runs on that thread; a loom coro on its own virtual thread, where this is false and the
     * callers fall back to the lookup.
     */
    boolean onLoopThread() {
        return Thread.currentThread() == thread && !ended;
    }

    /** The running coro, which must belong to this loop; {@code what} names the attempted call. */
    CoroImpl<?> callerFor(String what) {
        CoroImpl<?> c = current;
        if (c != null && onLoopThread()) {
            return c; // (native) the ThreadLocal lookup below, after the Coro statics' own, is not needed
        }
        CoroEngine bound = CoroEngine.boundOrNull();
        if (bound != this) {
            throw new NotInCoroException("cannot " + what + ": " + (bound == null
                    ? "not called from a coro (outside Scheduler.run, or on another thread: use Scheduler.submit)"
                    : "called from a coro of another scheduler run"));
        }
        return runningCoro(what);
    }

    /** {@link #callerFor} for a caller that has just found this loop bound to its thread. */
    CoroImpl<?> runningCoro(String what) {
        if (ended) {
            throw new CoroShutdownException("cannot " + what + ": the scheduler run has ended");
        }
        CoroImpl<?> c = current;
        if (c == null) {
            throw new NotInCoroException("cannot " + what + ": called on the scheduler thread outside any coro");
        }
        return c;
    }

    void bindToCurrentThread() {
        if (CoroEngine.boundOrNull() != this) {
            CoroEngine.bind(this);
        }
    }

    // ---------------------------------------------------------------- CoroEngine: the coro operations

    @Override
    public <T> Coro<T> spawn(String name, Callable<T> body) {
        callerFor("spawn");
        return newCoro(name, body, true, null);
    }

    @Override
    public Coro<?> current() {
        return callerFor("get the current coro");
    }

    @Override
    public void yieldSlice() {
        timeouts.yieldSlice(callerFor("yieldSlice"));
    }

    @Override
    public void sleep(Duration duration) {
        long nanos = Durations.nonNegativeNanos(duration, "sleep duration");
        CoroImpl<?> me = callerFor("sleep");
        timeouts.sleepUntil(me, Durations.deadline(owner.clockNow(), nanos));
    }

    @Override
    public void sleepUntil(long nanos) {
        timeouts.sleepUntil(callerFor("sleepUntil"), nanos);
    }

    @Override
    public long now() {
        callerFor("read the clock");
        return owner.clockNow();
    }

    @Override
    public <T> T withTimeout(Duration timeout, Callable<T> body) {
        long nanos = Durations.timeoutNanos(timeout, "timeout");
        Objects.requireNonNull(body, "withTimeout body must not be null");
        return withTimeout(nanos, body, () -> "timed out after " + timeout);
    }

    <T> T withTimeout(long nanos, Callable<T> body, Supplier<String> message) {
        CoroImpl<?> me = callerFor("withTimeout");
        return timeouts.withTimeout(me, Durations.deadline(owner.clockNow(), nanos), body, message);
    }

    @Override
    public <T> T await(CompletableFuture<T> future) {
        Objects.requireNonNull(future, "future must not be null");
        return externalWaits.await(callerFor("await a future"), future);
    }

    @Override
    public <T> T blocking(Callable<T> task) {
        Objects.requireNonNull(task, "blocking task must not be null");
        return externalWaits.blocking(callerFor("run a blocking call"), task);
    }

    // ---------------------------------------------------------------- waits on the poller (NetSupport, OsSupport)

    int awaitReady(CoroImpl<?> me, Poller.Interest interest, int ops, WaitSubject subject) throws IOException {
        return pollerWaits.awaitReady(me, interest, ops, subject);
    }

    long awaitEvent(CoroImpl<?> me, OsEvent event) throws IOException {
        return pollerWaits.awaitEvent(me, event);
    }

    /** A reusable interest of this run's poller in {@code channel} (see {@link Poller#interest}). */
    Poller.Interest interest(SelectableChannel channel) {
        return poller.interest(channel);
    }

    /** Whether this run's poller waits for OS events of {@code kind} itself. */
    boolean pollerWaitsNatively(Class<? extends OsEvent> kind) {
        return poller.waitsNatively(kind);
    }

    // ---------------------------------------------------------------- SwitchHost

    @Override
    public Thread schedulerThread() {
        return thread;
    }

    @Override
    public String nameOf(Object attachment) {
        return attachment instanceof CoroImpl<?> c ? c.name() : String.valueOf(attachment);
    }

    @Override
    public void wakeup(Coroutine coroutine) {
        owner.offerInbox(coroutine.attachment());
    }

    /** Wakes the poller if the loop may be blocked in it; any thread. */
    void wakeupPoller() {
        if (polling) {
            poller.wakeup();
        }
    }

    // ---------------------------------------------------------------- observability

    Snapshot snapshot() {
        return new Snapshot((long) SWITCHES.getOpaque(this), passes, timeouts.fired, ioEvents, live.count,
                runQueue.size(), timeouts.size(), pollWaitNanos, poller.registrations() + externalWaits.awaiting,
                new SchedulerStats.Phases(iterations, timerPhases, runPhases, cutShortPhases, largestBatch, polls,
                        runNanos));
    }

    record Snapshot(long switches, long passes, long timersFired, long ioEvents, int live, int runQueue,
                    int timers, long pollWaitNanos, int waits, SchedulerStats.Phases phases) {
        static final Snapshot NONE = new Snapshot(0, 0, 0, 0, 0, 0, 0, 0, 0, SchedulerStats.Phases.NONE);

        /** The totals of this and a later run {@code s}; gauges (live, queue, timers, waits) are not carried. */
        Snapshot plus(Snapshot s) {
            SchedulerStats.Phases a = phases, b = s.phases;
            return new Snapshot(switches + s.switches, passes + s.passes, timersFired + s.timersFired,
                    ioEvents + s.ioEvents, 0, 0, 0, pollWaitNanos + s.pollWaitNanos, 0,
                    new SchedulerStats.Phases(a.iterations() + b.iterations(), a.timerPhases() + b.timerPhases(),
                            a.runPhases() + b.runPhases(), a.cutShortPhases() + b.cutShortPhases(),
                            Math.max(a.largestBatch(), b.largestBatch()), a.polls() + b.polls(),
                            a.runNanos() + b.runNanos()));
        }
    }

    int liveCount() {
        return live.count;
    }

    long switchCount() {
        return (long) SWITCHES.getOpaque(this);
    }

    /** Scheduler thread only. */
    String dump() {
        return dumpState().toText();
    }

    /** Scheduler thread only. */
    dev.coro.SchedulerDump dumpState() {
        return LoopDump.of(this);
    }

    /** Ends the blocking pool's threads (at the end of a run). */
    void closeBlockingPool() {
        externalWaits.closePool();
    }
}
