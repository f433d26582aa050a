package dev.coro.scheduler;

import dev.coro.CoroShutdownException;
import dev.coro.spi.Coroutine;
import dev.coro.spi.Poller;
import dev.coro.spi.ResumeOutcome;
import dev.coro.spi.SwitchBackend;
import dev.coro.spi.SwitchHost;
import dev.coro.spi.SwitchProvider;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;

/**
 * One run of a {@link CoroScheduler}: the loop of SPEC.md §3, its phases top to bottom.
 *
 * <p>An iteration: read the clock; fire expired timers ({@link Timeouts}); run passes (swap pending
 * into staging and resume each live entry) until pending is empty or {@code maxBatchesPerPhase}
 * batches ran; then poll, waiting at most until the next deadline (not at all if anything is
 * runnable), and take in readiness ({@link PollerWaits}) and cross-thread events (the owner's inbox).
 * The loop's own move is the resume: a scheduled coro becomes RUNNING, then SUSPENDED, BLOCKED
 * (loom: inside a JDK call) or DONE as the backend hands control back; every other move between
 * states is {@link CoroStates}'. The rest is one concern per class: the coro operations and their
 * caller checks in {@link LoopEngine}, timers and timeouts in {@link Timeouts}, the virtual clock's
 * waits and jumps in {@link VirtualTimeWaits}, waits on the
 * poller in {@link PollerWaits}, waits for other threads in {@link ExternalWaits}, the live list and
 * the end of a coro in {@link LiveCoros}, the end of the run in {@link Shutdown}, the dump in
 * {@link LoopDump}, the counters in {@link LoopStats}.
 *
 * <p>Everything runs on the scheduler thread, or in a coro it resumed (one at a time), except
 * {@link #wakeup(Coroutine)}, {@link #wakeupPoller()} and the fields marked as read by other threads.
 */
final class EventLoop implements SwitchHost {
    private static final System.Logger LOG = System.getLogger("dev.coro.scheduler");

    final CoroScheduler owner;
    final SwitchBackend backend;
    final Poller poller;
    private final Thread thread;
    final boolean virtualTime;
    private final int maxBatches;

    final RunQueue runQueue = new RunQueue();
    // The concerns, made by the constructor once the backend is open, each after those it keeps.
    final CoroStates states;
    final Timeouts timeouts;
    final PollerWaits pollerWaits;
    final ExternalWaits externalWaits;
    final LiveCoros live;
    private final VirtualTimeWaits virtualTimeWaits;
    final LoopEngine engine;
    /** The clock as read at the top of this iteration (yieldSlice deadlines use it). */
    long now;

    /** The running coro; read racily by the latency watchdog (a stale read only delays a report). */
    CoroImpl<?> current;
    /** Coros inside a JDK call (loom: BLOCKED), woken through the inbox. */
    int blockedCount;
    private long nextId = 1;

    final LoopStats stats = new LoopStats();
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
    volatile boolean ended;

    /** dev.coro.net's shared I/O buffer (see NetSupport.ioScratch); made on first use. */
    ByteBuffer ioScratch;

    /** Opens the switch backend with this loop as its host (the backend only keeps the reference). */
    EventLoop(CoroScheduler owner, SwitchProvider switchProvider, Poller poller, Thread thread) {
        this.owner = owner;
        this.poller = poller;
        this.thread = thread;
        this.virtualTime = owner.config.virtualTime();
        this.maxBatches = owner.config.maxBatchesPerPhase();
        this.profiler = owner.profiler;
        this.backend = switchProvider.open(this);
        this.states = new CoroStates(this);
        this.timeouts = new Timeouts(this);
        this.pollerWaits = new PollerWaits(this);
        this.externalWaits = new ExternalWaits(this);
        this.live = new LiveCoros(this);
        this.virtualTimeWaits = new VirtualTimeWaits(this);
        this.engine = new LoopEngine(this);
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
                stats.iterations++;
                long fired = timeouts.fired;
                timeouts.fire(now);
                if (timeouts.fired != fired) {
                    stats.timerPhases++;
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
            stats.passes++;
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
            if (n > stats.largestBatch) {
                stats.largestBatch = n;
            }
        }
        if (batch == maxBatches && runQueue.hasPending()) {
            stats.cutShortPhases++;
        }
        endRunPhase(batch, 0, start);
    }

    private void endRunPhase(int batches, int lastBatch, long start) {
        if (lastBatch > stats.largestBatch) {
            stats.largestBatch = lastBatch;
        }
        if (batches > 0) {
            stats.runPhases++;
            if (virtualTime) {
                stats.runNanos += System.nanoTime() - start;
            } else if (timeouts.dueLater == 0 && ++staleRunPhases < MAX_STALE_RUN_PHASES) {
                // Every timer left is due by now already: a fresh reading would fire nothing more, and
                // the I/O phase will not wait for a deadline. Keep this iteration's reading (rule 2);
                // the phase's time is counted from it by the next phase that reads.
                carriedClock = now;
            } else {
                // The I/O phase and the next iteration take their clock reading from here (unless a
                // poll or a task intervenes), so this read is not an extra one.
                carriedClock = owner.clockNow();
                stats.runNanos += carriedClock - start;
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
        stats.countSwitch();
        ResumeOutcome outcome;
        try {
            outcome = backend.resume(c.coroutine);
        } catch (Throwable t) {
            // The body wrapper catches everything, so this is a backend fault: end this coro only.
            current = null;
            LoopLog.log(LOG, System.Logger.Level.ERROR, "switch backend failed resuming " + c, t);
            if (c.state != CoroImpl.DONE) {
                c.cancel(new CoroShutdownException("switch backend failure: " + t));
                states.finished(c);
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
            states.finished(c);
        }
    }

    private void ioPhase() {
        long timeout;
        Timer next;
        boolean inbox = owner.hasInbox();
        if (inbox || runQueue.hasPending()) {
            timeout = 0;
        } else if (virtualTime) {
            timeout = virtualTimeWaits.pollTimeout();
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
            takeInbox();
        } else if (inbox || virtualTime) {
            // Real time: an inbox found empty above is not looked into again (its queue's second walk
            // was ~2% of a lone yieldSlice); what comes meanwhile is found by the next iteration's
            // check, before any poll that could wait. Virtual time looks again: the clock may jump next.
            takeInbox();
        }
        if (virtualTime) {
            virtualTimeWaits.afterPoll();
        }
    }

    /** Polls for at most {@code timeout} ns (0: do not wait, -1: no limit); the poller wakes its waiters. */
    void poll(long timeout) {
        boolean timed = timeout != 0;
        LongPollEvent jfr = JfrEvents.longPoll(); // null until JFR starts; then scalar-replaced unless recorded
        long start = timed || (jfr != null && jfr.recorded()) ? System.nanoTime() : 0;
        int events;
        polling = true;
        stats.polls++;
        try {
            if (timeout != 0 && owner.hasInbox()) {
                timeout = 0; // a producer may have missed the flag: do not sleep on its event
            }
            events = poller.poll(timeout, pollerWaits);
            stats.ioEvents += events;
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
                stats.pollWaitNanos += took;
                if (!virtualTime) {
                    carriedClock = owner.clockAt(end);
                    if (staleRunPhases > 0) {
                        stats.runNanos += owner.clockAt(start) - now; // the phases that skipped their closing read
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
            stats.ioEvents++;
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
                        states.endCoro(main, new CoroShutdownException("Scheduler.close() called"));
                    }
                }
                default -> throw new IllegalStateException("unknown inbox item " + item);
            }
        }
    }

    // ---------------------------------------------------------------- spawning

    <T> CoroImpl<T> newCoro(String name, Callable<T> body, boolean reportUncaught, CompletableFuture<T> future) {
        Objects.requireNonNull(body, "coro body must not be null");
        CoroImpl<T> c = new CoroImpl<>(this, nextId++, name, body, reportUncaught, future);
        c.spawnedAt = now;
        c.coroutine = backend.create(c.givenName(), c, c); // the coro is its own body (CoroImpl.run)
        live.add(c);
        states.schedule(c, null);
        return c;
    }

    /**
     * True on the scheduler thread while this run is in progress: there the engine bound to the
     * thread is this run's (runs do not nest), so a coro operation made there needs no ThreadLocal
     * lookup. A native coro runs on that thread; a loom coro on its own virtual thread, where this
     * is false and the callers fall back to the lookup.
     */
    boolean onLoopThread() {
        return Thread.currentThread() == thread && !ended;
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

    /** Any thread: this run's figures, read racily (see {@link LoopStats}). */
    LoopStats.Snapshot snapshot() {
        return new LoopStats.Snapshot(stats.switches(), stats.passes, timeouts.fired, stats.ioEvents, live.count,
                runQueue.size(), timeouts.size(), stats.pollWaitNanos,
                poller.registrations() + externalWaits.awaiting, stats.phases());
    }

    int liveCount() {
        return live.count;
    }

    long switchCount() {
        return stats.switches();
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
