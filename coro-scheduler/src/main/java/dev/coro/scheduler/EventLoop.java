package dev.coro.scheduler;

import dev.coro.Coro;
import dev.coro.CoroExecutionException;
import dev.coro.CoroInterruptedException;
import dev.coro.CoroShutdownException;
import dev.coro.CoroTimeoutException;
import dev.coro.NotInCoroException;
import dev.coro.ScheduleException;
import dev.coro.spi.CoroEngine;
import dev.coro.spi.Coroutine;
import dev.coro.spi.Poller;
import dev.coro.spi.ResumeOutcome;
import dev.coro.spi.SwitchBackend;
import dev.coro.spi.SwitchHost;
import dev.coro.spi.SwitchProvider;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * One run of a {@link CoroScheduler}: the loop of SPEC.md §3 and the coro operations the
 * {@link Coro} statics reach through {@link CoroEngine}.
 *
 * <p>An iteration: read the clock; fire expired timers in (deadline, insertion) order; run passes
 * (swap pending into staging and resume each live entry) until pending is empty or
 * {@code maxBatchesPerPhase} batches ran; then poll, waiting at most until the next deadline (not at
 * all if anything is runnable), and take in readiness and cross-thread events. Everything here runs
 * on the scheduler thread, or in a coro it resumed (one at a time), except {@link #wakeup(Coroutine)}
 * and the fields marked as read by other threads.
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

    /** Shutdown rounds at the end of a run before survivors are abandoned (each may unwind further). */
    private static final int SHUTDOWN_ROUNDS = 3;

    /**
     * How long, in all, the shutdown rounds wait for coros blocked in JDK calls to come back; one that
     * has not by then (an uninterruptible JDK call) is abandoned to the backend, which runs it to its
     * end after the run (SwitchBackend#close), so the run itself ends promptly.
     */
    private static final long SHUTDOWN_BLOCKED_GRACE_NANOS = 200_000_000L;

    final CoroScheduler owner;
    final SwitchBackend backend;
    final Poller poller;
    private final Thread thread;
    private final boolean virtualTime;
    private final int maxBatches;

    private final RunQueue runQueue = new RunQueue();
    private final TimerHeap timers = new TimerHeap();
    /** The clock as read at the top of this iteration (yieldSlice deadlines use it). */
    private long now;

    /** The running coro; read racily by the latency watchdog (a stale read only delays a report). */
    CoroImpl<?> current;
    private CoroImpl<?> liveHead;
    private int liveCount;
    private int blockedCount;
    /** Coros awaiting a future that another thread completes (virtual time must wait for them). */
    private int externalWaits;
    /** Under virtual time: since when (System.nanoTime) the loop has waited for real-time work with a timer due. */
    private long realTimeWaitSince;
    private boolean realTimeWaiting;
    /** Futures of coros that finished inside a coro: completed once the loop has switched back (finished()). */
    private final ArrayList<CoroImpl<?>> doneFutures = new ArrayList<>();
    private long nextId = 1;

    /** Written with opaque stores: the latency watchdog reads it from its own thread. */
    @SuppressWarnings("unused")
    private long switches;
    private long passes, timersFired, ioEvents, pollWaitNanos;

    /** Set while the loop may block in poll, so that cross-thread producers know to wake it. */
    private volatile boolean polling;
    private CoroImpl<?> main;
    /**
     * Set when the run has ended (after the shutdown rounds). Coros abandoned then may still run on
     * another carrier (loom: one that was blocked in an uninterruptible JDK call); every coro
     * operation they make fails with CoroShutdownException and their end touches no loop state.
     */
    private volatile boolean ended;

    /** Opens the switch backend with this loop as its host (the backend only keeps the reference). */
    EventLoop(CoroScheduler owner, SwitchProvider switchProvider, Poller poller, Thread thread) {
        this.owner = owner;
        this.poller = poller;
        this.thread = thread;
        this.virtualTime = owner.config.virtualTime();
        this.maxBatches = owner.config.maxBatchesPerPhase();
        this.backend = switchProvider.open(this);
    }

    // ---------------------------------------------------------------- the loop

    <T> T run(Callable<T> mainBody) {
        CoroImpl<T> m = newCoro("main", mainBody, false, null);
        main = m;
        try {
            takeInbox();
            while (m.state != CoroImpl.DONE) {
                now = owner.clockNow();
                fireTimers(now);
                runPhase();
                if (m.state == CoroImpl.DONE) {
                    break;
                }
                ioPhase();
            }
        } finally {
            try {
                shutdownRest();
            } finally {
                ended = true;
            }
        }
        return m.outcome();
    }

    private void fireTimers(long t) {
        Timer timer = timers.peek();
        if (timer == null || timer.deadline > t) {
            return;
        }
        List<Timer> held = null;
        while ((timer = timers.peek()) != null && timer.deadline <= t) {
            timers.poll();
            timersFired++;
            CoroImpl<?> c = timer.coro;
            if (!timer.timebomb) {
                timer.expired = true;
                if (!c.scheduled && c.state == CoroImpl.SUSPENDED) {
                    schedule(c, null);
                }
            } else if (c.state == CoroImpl.DONE) {
                timer.expired = true;
            } else if (c.scheduled && !timer.held) {
                // Rule 2: its coro is already due to run; hold the timebomb and retry next iteration, once.
                timer.held = true;
                if (held == null) {
                    held = new ArrayList<>(4);
                }
                held.add(timer);
            } else {
                // Not scheduled, or scheduled again after being held once: deliverInterrupt unschedules
                // it, and the wait it was woken from hands back what it was given (rule 2).
                timer.expired = true;
                deliverInterrupt(c, new CoroInterruptedException("timed out: " + timer, timer));
            }
        }
        if (held != null) {
            for (Timer h : held) {
                timers.add(h);
            }
        }
    }

    private void runPhase() {
        for (int batch = 0; batch < maxBatches && runQueue.swap(); batch++) {
            passes++;
            CoroImpl<?> c;
            while ((c = runQueue.next()) != null) {
                resume(c);
                if (c == main && c.state == CoroImpl.DONE) {
                    return; // rule 8: the run ends when main does; the rest of the batch is shut down
                }
            }
        }
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
            completeFutures();
            return;
        }
        current = null;
        if (!doneFutures.isEmpty()) {
            completeFutures();
        }
        switch (outcome) {
            case SUSPENDED -> c.state = CoroImpl.SUSPENDED;
            case BLOCKED -> {
                c.state = CoroImpl.BLOCKED;
                blockedCount++;
            }
            case DONE -> {
                if (c.state != CoroImpl.DONE) {
                    // Only a broken backend ends a body without our wrapper's finally.
                    c.cancel(new CoroShutdownException("switch backend ended the coro early"));
                    finished(c);
                }
            }
        }
    }

    private void ioPhase() {
        long timeout;
        Timer next = timers.peek();
        boolean jumpClock = false;
        boolean deadlockSuspected = false;
        if (runQueue.hasPending() || owner.hasInbox()) {
            timeout = 0;
        } else if (virtualTime) {
            boolean realTimeWork = blockedCount > 0 || externalWaits > 0;
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
        } else if (next == null) {
            timeout = -1;
        } else {
            timeout = Math.max(0, next.deadline - owner.clockNow());
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
        if (deadlockSuspected && !runQueue.hasPending() && timers.isEmpty() && poller.registrations() == 0
                && blockedCount == 0 && externalWaits == 0) {
            throw new IllegalStateException("virtual-time deadlock in scheduler '" + owner.config.name()
                    + "': every coro waits and nothing can wake them (no timer, no I/O registration, no coro "
                    + "blocked in a JDK call or awaiting a future, nothing from other threads for "
                    + DEADLOCK_GRACE_NANOS / 1_000_000 + " ms)\n" + dump());
        }
    }

    private void poll(long timeout) {
        long start = timeout != 0 ? System.nanoTime() : 0;
        polling = true;
        try {
            if (timeout != 0 && owner.hasInbox()) {
                timeout = 0; // a producer may have missed the flag: do not sleep on its event
            }
            ioEvents += poller.poll(timeout, readySink);
        } catch (IOException e) {
            throw new UncheckedIOException("poller '" + poller.name() + "' failed", e);
        } finally {
            polling = false;
        }
        if (start != 0) {
            pollWaitNanos += System.nanoTime() - start;
        }
    }

    /**
     * What the poller found, handed to the waiting coro as its suspension's value: the ready ops
     * ({@code Integer}), an OS event's data ({@code Long}) or the registration's error
     * ({@code IOException}), which {@link #awaitReady} and {@link #awaitEvent} turn back.
     */
    private final Poller.ReadySink readySink = new Poller.ReadySink() {
        @Override
        public void ready(Object attachment, int readyOps) {
            wakeIoWait(attachment, readyOps);
        }

        @Override
        public void fired(Object attachment, long data) {
            wakeIoWait(attachment, data);
        }

        @Override
        public void failed(Object attachment, IOException error) {
            wakeIoWait(attachment, error);
        }
    };

    private void wakeIoWait(Object attachment, Object value) {
        if (attachment instanceof IoWait w && w.active) {
            w.active = false;
            CoroImpl<?> c = w.coro;
            if (!c.scheduled && c.state == CoroImpl.SUSPENDED) {
                schedule(c, value);
            }
        }
    }

    /**
     * A coro's wait for readiness; readiness reported after the wait ended is ignored. A coro's waits
     * on the poller reuse one (its {@code pollerWait}): it waits once at a time, and a poller never
     * reports a registration after its cancel, which ends every such wait before the next begins. A
     * wait for a future gets a fresh one, since the future's completion may reach the loop long after
     * the wait ended.
     */
    static final class IoWait {
        final CoroImpl<?> coro;
        boolean active = true;

        IoWait(CoroImpl<?> coro) {
            this.coro = coro;
        }
    }

    private static IoWait pollerWait(CoroImpl<?> me) {
        IoWait w = me.pollerWait;
        if (w == null) {
            return me.pollerWait = new IoWait(me);
        }
        w.active = true;
        return w;
    }

    /** Takes in what other threads (and blocked-in-JDK wake-ups) left in the owner's inbox. */
    private void takeInbox() {
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
        c.coroutine = backend.create(c.name(), c::runBody, c);
        c.nextLive = liveHead;
        if (liveHead != null) {
            liveHead.prevLive = c;
        }
        liveHead = c;
        liveCount++;
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
        c.resumeValue = value;
        c.resumeException = null;
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

    private void endCoro(CoroImpl<?> c, CoroShutdownException why) {
        if (c.state == CoroImpl.NEW) {
            cancel(c, why);
        } else if (c.state != CoroImpl.RUNNING) {
            deliverInterrupt(c, why);
        }
    }

    /**
     * Called once per coro, as it ends (from its own body, or for one that never ran). Never throws:
     * it runs in the body's {@code finally}, and an error escaping it would end the whole run.
     */
    void finished(CoroImpl<?> c) {
        c.state = CoroImpl.DONE;
        c.locals = null;
        if (ended) {
            // An abandoned coro ending on another carrier after the run: the loop's structures are
            // no longer ours to touch; its future still completes (thread-safe) and its failure is reported.
            reportFailure(c);
            if (c.future != null) {
                completeFuture(c);
            }
            return;
        }
        if (c.prevLive != null) {
            c.prevLive.nextLive = c.nextLive;
        } else {
            liveHead = c.nextLive;
        }
        if (c.nextLive != null) {
            c.nextLive.prevLive = c.prevLive;
        }
        c.prevLive = c.nextLive = null;
        liveCount--;
        reportFailure(c);
        if (c.future != null) {
            if (current != null) {
                // Inside a coro (its own body, or one that shut it down): the future's callbacks
                // must not run on that coro's stack, where one that waits would suspend it.
                doneFutures.add(c);
            } else {
                completeFuture(c);
            }
        }
        List<CoroImpl<?>> joiners = c.takeJoiners();
        if (joiners != null) {
            for (CoroImpl<?> j : joiners) {
                if (!j.scheduled && j.state == CoroImpl.SUSPENDED) {
                    schedule(j, null);
                }
            }
        }
    }

    private void reportFailure(CoroImpl<?> c) {
        Throwable failure = c.failure();
        if (failure != null && c.reportUncaught && !(failure instanceof CoroShutdownException)) {
            owner.reportUncaught(c, failure);
        }
    }

    private static void completeFuture(CoroImpl<?> c) {
        Throwable failure = c.failure();
        if (failure != null) {
            c.future.completeExceptionally(failure);
        } else {
            @SuppressWarnings("unchecked")
            CompletableFuture<Object> f = (CompletableFuture<Object>) c.future;
            f.complete(c.result());
        }
    }

    /** Completes the futures of coros that finished inside a coro; on the loop, outside any coro. */
    private void completeFutures() {
        for (int i = 0; i < doneFutures.size(); i++) {
            completeFuture(doneFutures.get(i)); // a callback's failure completes its own stage, never ours
        }
        doneFutures.clear();
    }

    /**
     * Switches from {@code me} (the running coro) back to the loop; returns what it was scheduled
     * with, or throws the interrupt it was scheduled with.
     */
    Object suspend(CoroImpl<?> me) {
        if (me.pendingInterrupt != null) {
            throw takePendingInterrupt(me);
        }
        if (ended) {
            throw new CoroShutdownException("the scheduler run has ended");
        }
        backend.suspend();
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
        return CoroEngine.boundOrNull() == this && !ended ? current : null;
    }

    /** The running coro, which must belong to this loop; {@code what} names the attempted call. */
    CoroImpl<?> callerFor(String what) {
        CoroEngine bound = CoroEngine.boundOrNull();
        if (bound != this) {
            throw new NotInCoroException("cannot " + what + ": " + (bound == null
                    ? "not called from a coro (outside Scheduler.run, or on another thread: use Scheduler.submit)"
                    : "called from a coro of another scheduler run"));
        }
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

    // ---------------------------------------------------------------- CoroEngine

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
        sleepUntilDeadline(callerFor("yieldSlice"), now);
    }

    @Override
    public void sleep(Duration duration) {
        long nanos = Durations.nonNegativeNanos(duration, "sleep duration");
        CoroImpl<?> me = callerFor("sleep");
        sleepUntilDeadline(me, Durations.deadline(owner.clockNow(), nanos));
    }

    @Override
    public void sleepUntil(long nanos) {
        sleepUntilDeadline(callerFor("sleepUntil"), nanos);
    }

    private void sleepUntilDeadline(CoroImpl<?> me, long deadline) {
        Timer t = me.sleeper == null ? (me.sleeper = new Timer(me, deadline, false)) : me.sleeper.rearm(deadline);
        timers.add(t);
        try {
            suspend(me);
        } finally {
            if (!t.expired) {
                timers.remove(t);
                t.expired = true;
            }
        }
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

    /** Rule 5: a timebomb at now+nanos; only the frame that owns it turns its interrupt into a timeout. */
    <T> T withTimeout(long nanos, Callable<T> body, Supplier<String> message) {
        CoroImpl<?> me = callerFor("withTimeout");
        Timer bomb = new Timer(me, Durations.deadline(owner.clockNow(), nanos), true);
        timers.add(bomb);
        try {
            return body.call();
        } catch (CoroInterruptedException e) {
            if (e.value() == bomb) {
                throw new CoroTimeoutException(message.get(), e);
            }
            throw e;
        } catch (InterruptedException e) {
            // loom: an interrupt of ours (this bomb, an outer one, interrupt(v)) surfaced through a JDK
            // call: raise it as what it is, so that only the owning frame turns it into a timeout.
            CoroInterruptedException ours = takePendingInterrupt(me);
            if (ours == null) {
                throw new CoroExecutionException("interrupted: " + e, e);
            }
            ours.addSuppressed(e);
            if (ours.value() == bomb) {
                throw new CoroTimeoutException(message.get(), ours);
            }
            throw ours;
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Exception e) {
            throw new CoroExecutionException(e.toString(), e);
        } finally {
            if (!bomb.expired) {
                timers.remove(bomb);
                bomb.expired = true;
            }
            if (me.pendingInterrupt != null && me.pendingInterrupt.value() == bomb) {
                takePendingInterrupt(me); // its frame is gone: the bomb must not go off later
            }
        }
    }

    // ---------------------------------------------------------------- waits for sync and net (CoroContext, NetSupport)

    /** Wakes {@code c} with {@code value} if it is suspended and not yet scheduled. */
    boolean wake(CoroImpl<?> c, Object value) {
        if (c.state != CoroImpl.SUSPENDED || c.scheduled) {
            return false;
        }
        schedule(c, value);
        return true;
    }

    /** Wakes {@code c} so that its suspension point throws {@code e}, if it is suspended and not scheduled. */
    boolean wakeWithException(CoroImpl<?> c, RuntimeException e) {
        if (c.state != CoroImpl.SUSPENDED || c.scheduled) {
            return false;
        }
        schedule(c, null);
        c.resumeException = e;
        return true;
    }

    /** Suspends {@code me} until {@code interest} (of this run's poller) reports; returns the ready ops. */
    int awaitReady(CoroImpl<?> me, Poller.Interest interest, int ops) throws IOException {
        IoWait w = pollerWait(me);
        interest.register(ops, w);
        Object v;
        try {
            v = suspend(me);
        } finally {
            w.active = false;
            interest.cancel();
        }
        if (v instanceof IOException e) {
            throw e;
        }
        return v instanceof Integer i ? i : 0;
    }

    /** A reusable interest of this run's poller in {@code channel} (see {@link Poller#interest}). */
    Poller.Interest interest(java.nio.channels.SelectableChannel channel) {
        return poller.interest(channel);
    }

    /** Whether this run's poller waits for OS events of {@code kind} itself. */
    boolean pollerWaitsNatively(Class<? extends dev.coro.spi.OsEvent> kind) {
        return poller.waitsNatively(kind);
    }

    /** Suspends {@code me} until the poller reports {@code event}; returns its data (see {@link dev.coro.spi.OsEvent}). */
    long awaitEvent(CoroImpl<?> me, dev.coro.spi.OsEvent event) throws IOException {
        IoWait w = pollerWait(me);
        Poller.Registration r = poller.register(event, w);
        Object v;
        try {
            do {
                v = suspend(me);
            } while (w.active); // a plain wake (not the poller's) is not the event
        } finally {
            w.active = false;
            r.cancel();
        }
        if (v instanceof IOException e) {
            throw e;
        }
        return (Long) v;
    }

    /**
     * Suspends the caller until {@code future} completes. The wake-up hangs off
     * {@code anyOf(future, leave)} rather than off {@code future} itself: when the coro leaves early
     * (timeout, interrupt, shutdown) it completes {@code leave}, and the JDK then unlinks the dead
     * completion from {@code future}'s stack, so a long-lived future that many coros gave up on
     * keeps no callback per abandoned wait.
     */
    @Override
    public <T> T await(CompletableFuture<T> future) {
        Objects.requireNonNull(future, "future must not be null");
        CoroImpl<?> me = callerFor("await a future");
        if (!future.isDone()) {
            IoWait w = new IoWait(me);
            CompletableFuture<Void> leave = new CompletableFuture<>();
            CompletableFuture.anyOf(future, leave).whenComplete((v, t) -> {
                if (!leave.isDone()) {
                    owner.offerInbox((Runnable) () -> {
                        if (w.active) {
                            w.active = false;
                            wake(me, null);
                        }
                    });
                }
            });
            externalWaits++;
            try {
                while (!future.isDone()) {
                    suspend(me);
                }
            } finally {
                externalWaits--;
                w.active = false;
                leave.complete(null);
            }
        }
        try {
            return future.join();
        } catch (java.util.concurrent.CompletionException e) {
            throw CoroExecutionException.rethrow(e.getCause() != null ? e.getCause() : e);
        }
    }

    @Override
    public <T> T blocking(Callable<T> task) {
        Objects.requireNonNull(task, "blocking task must not be null");
        callerFor("run a blocking call");
        CompletableFuture<T> result = new CompletableFuture<>();
        java.util.concurrent.Future<?> job = blockingPool().submit(() -> {
            try {
                result.complete(task.call());
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        });
        try {
            return await(result);
        } catch (CoroInterruptedException e) {
            job.cancel(true); // the coro left (timeout, interrupt, shutdown): interrupt the worker too
            throw e;
        }
    }

    private java.util.concurrent.ThreadPoolExecutor blockingPool;

    /** dev.coro.net's shared read buffer (see NetSupport.readScratch); made on first use. */
    java.nio.ByteBuffer readScratch;

    /**
     * Worker threads for {@link #blocking}: at most {@code blockingThreads} of them (made on demand,
     * ended after 10 s idle), excess calls wait in a FIFO queue; made on first use, ended with the run.
     * A call whose coro left while it was still queued stays queued, cancelled, and costs nothing
     * when a worker reaches it.
     */
    private java.util.concurrent.ThreadPoolExecutor blockingPool() {
        if (blockingPool == null) {
            int n = owner.config.blockingThreads();
            blockingPool = new java.util.concurrent.ThreadPoolExecutor(n, n, 10, java.util.concurrent.TimeUnit.SECONDS,
                    new java.util.concurrent.LinkedBlockingQueue<>(),
                    Thread.ofPlatform().daemon().name("coro-blocking-" + owner.config.name() + "-", 0).factory());
            blockingPool.allowCoreThreadTimeOut(true);
        }
        return blockingPool;
    }

    /** Ends the blocking pool's threads (at the end of a run). */
    void closeBlockingPool() {
        if (blockingPool != null) {
            blockingPool.shutdownNow();
            try {
                if (!blockingPool.awaitTermination(10, java.util.concurrent.TimeUnit.SECONDS)) {
                    LoopLog.log(LOG, System.Logger.Level.WARNING, "blocking calls still running 10 s after the run ended", null);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    // ---------------------------------------------------------------- SwitchHost

    @Override
    public Thread schedulerThread() {
        return thread;
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

    // ---------------------------------------------------------------- end of run

    /**
     * Rule 8: every coro still alive gets CoroShutdownException and may unwind, in up to
     * {@link #SHUTDOWN_ROUNDS} rounds; coros blocked in JDK calls get at most
     * {@link #SHUTDOWN_BLOCKED_GRACE_NANOS} in all to come back. What is left then is abandoned.
     */
    private void shutdownRest() {
        long graceEnd = System.nanoTime() + SHUTDOWN_BLOCKED_GRACE_NANOS;
        for (int round = 0; round < SHUTDOWN_ROUNDS && liveCount > 0; round++) {
            for (CoroImpl<?> c : liveSnapshot()) {
                if (c.state != CoroImpl.DONE) {
                    endCoro(c, new CoroShutdownException("scheduler run ended"));
                }
            }
            settle(graceEnd);
        }
        if (liveCount > 0) {
            StringBuilder names = new StringBuilder();
            for (CoroImpl<?> c : liveSnapshot()) {
                names.append("\n  ").append(c);
            }
            LoopLog.log(LOG, System.Logger.Level.WARNING, "scheduler '" + owner.config.name() + "': " + liveCount
                    + " coro(s) did not end after " + SHUTDOWN_ROUNDS + " shutdowns and are abandoned (one blocked "
                    + "in a JDK call runs on to its end when the JDK wakes it; each of its coro operations then "
                    + "throws CoroShutdownException):" + names, null);
        }
    }

    /** Runs timers and passes until nothing is runnable, waiting until {@code graceEnd} for blocked coros. */
    private void settle(long graceEnd) {
        while (true) {
            now = owner.clockNow();
            fireTimers(now);
            runPhase();
            long t = 0;
            if (!runQueue.hasPending() && blockedCount > 0) {
                t = Math.max(0, graceEnd - System.nanoTime());
            }
            polling = true;
            try {
                ioEvents += poller.poll(owner.hasInbox() ? 0 : t, readySink);
            } catch (IOException | RuntimeException e) {
                LoopLog.log(LOG, System.Logger.Level.WARNING, "poll failed during shutdown", e);
            } finally {
                polling = false;
            }
            takeInbox();
            if (!runQueue.hasPending() && (blockedCount == 0 || System.nanoTime() - graceEnd >= 0)) {
                return;
            }
        }
    }

    private List<CoroImpl<?>> liveSnapshot() {
        List<CoroImpl<?>> all = new ArrayList<>(liveCount);
        for (CoroImpl<?> c = liveHead; c != null; c = c.nextLive) {
            all.add(c);
        }
        return all;
    }

    // ---------------------------------------------------------------- observability

    Snapshot snapshot() {
        return new Snapshot((long) SWITCHES.getOpaque(this), passes, timersFired, ioEvents, liveCount,
                runQueue.size(), timers.size(), pollWaitNanos, poller.registrations() + externalWaits);
    }

    record Snapshot(long switches, long passes, long timersFired, long ioEvents, int live, int runQueue,
                    int timers, long pollWaitNanos, int waits) {
    }

    int liveCount() {
        return liveCount;
    }

    long switchCount() {
        return (long) SWITCHES.getOpaque(this);
    }

    /** Scheduler thread only. */
    String dump() {
        StringBuilder sb = new StringBuilder();
        sb.append("scheduler '").append(owner.config.name()).append("' (switch ").append(backend.describe())
                .append(", poller ").append(poller.name()).append(virtualTime ? ", virtual time" : "")
                .append("): ").append(liveCount).append(" live coro(s), now ").append(owner.clockNow()).append(" ns\n");
        for (CoroImpl<?> c : liveSnapshot()) {
            sb.append("  ").append(c).append('\n');
            StackTraceElement[] stack = c == current && Thread.currentThread() == thread
                    ? Thread.currentThread().getStackTrace() : c.coroutine.stackTrace();
            for (StackTraceElement e : stack) {
                sb.append("      at ").append(e).append('\n');
            }
        }
        return sb.toString();
    }
}
