package dev.coro.scheduler;

import dev.coro.Coro;
import dev.coro.CoroShutdownException;
import dev.coro.Profiler;
import dev.coro.Scheduler;
import dev.coro.SchedulerDump;
import dev.coro.SchedulerStats;
import dev.coro.spi.CoroEngine;
import dev.coro.spi.Poller;
import dev.coro.spi.PollerProvider;
import dev.coro.spi.SchedulerConfig;
import dev.coro.spi.SwitchBackend;
import dev.coro.spi.SwitchProvider;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

/**
 * The {@link Scheduler}: its lifecycle, its clock and the thread-safe inbox through which other
 * threads reach it. Each {@link #run} opens the backends, drives an {@link EventLoop} and closes them.
 *
 * <p>Thread-safety: {@link #submit}, {@link #execute}, {@link #close}, {@link #stats},
 * {@link #dump} and the {@link #profiler} may be called from any thread; they touch only the
 * lock-free {@link #inbox} and volatile fields. Everything else belongs to the thread inside {@code run}.
 */
final class CoroScheduler implements Scheduler {
    private static final System.Logger LOG = System.getLogger("dev.coro.scheduler");

    final SchedulerConfig config;
    private final SwitchProvider switchProvider;
    private final PollerProvider pollerProvider;

    /** Cross-thread submissions, blocked-coro wake-ups and requests; drained by the loop's I/O phase. */
    private final ConcurrentLinkedQueue<Object> inbox = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean running = new AtomicBoolean();
    private volatile EventLoop loop;
    private volatile boolean closed;

    private final long clockOrigin = System.nanoTime();
    private long virtualNow;
    /** Counters of the runs that have ended. */
    private volatile int lastAbandoned;
    private volatile LoopStats.Snapshot finishedRuns = LoopStats.Snapshot.NONE;
    /** Lives with the scheduler, not the run: a profile may span runs and be read after them. */
    final LoopProfiler profiler = new LoopProfiler(this);

    CoroScheduler(SchedulerConfig config, SwitchProvider switchProvider, PollerProvider pollerProvider) {
        this.config = config;
        this.switchProvider = switchProvider;
        this.pollerProvider = pollerProvider;
    }

    // ---------------------------------------------------------------- run

    @Override
    public <T> T run(Callable<T> main) {
        Objects.requireNonNull(main, "main must not be null");
        if (closed) {
            throw new IllegalStateException("scheduler '" + config.name() + "' is closed");
        }
        if (CoroEngine.boundOrNull() != null) {
            throw new IllegalStateException("Scheduler.run called from inside a running scheduler: "
                    + "nested event loops are not supported; spawn a coro instead");
        }
        if (Thread.currentThread().isVirtual()) {
            throw new IllegalStateException("Scheduler.run must be called on a platform thread, not a virtual thread");
        }
        if (!running.compareAndSet(false, true)) {
            throw new IllegalStateException("scheduler '" + config.name() + "' is already running on another thread");
        }
        Thread me = Thread.currentThread();
        LoopLog.preload();
        Poller poller = null;
        SwitchBackend backend = null;
        LatencyWatchdog watchdog = null;
        SchedulerJmx jmx = null;
        EventLoop l = null;
        try {
            poller = pollerProvider != null ? pollerProvider.open() : new ParkingPoller(me);
            l = new EventLoop(this, switchProvider, poller, me);
            backend = l.backend;
            CoroEngine.bind(l.engine);
            loop = l;
            EventLoop started = l;
            LoopLog.log(LOG, System.Logger.Level.DEBUG, () -> "scheduler '" + config.name() + "' runs with switch "
                    + started.backend.describe() + ", poller " + started.poller.name());
            if (!config.latencyThreshold().isZero()) {
                watchdog = LatencyWatchdog.start(l, config.latencyThreshold());
            }
            jmx = SchedulerJmx.register(this, config.name(), config.virtualTime());
            return l.run(main);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open poller '" + pollerProvider.name() + "'", e);
        } finally {
            loop = null;
            CoroEngine.bind(null);
            if (watchdog != null) {
                watchdog.stop();
            }
            if (jmx != null) {
                jmx.unregister();
            }
            if (l != null) {
                l.closeBlockingPool();
                lastAbandoned = l.liveCount();
                finishedRuns = finishedRuns.plus(l.snapshot());
                profiler.runEnded();
                rejectLeftovers(l);
            }
            if (backend != null) {
                backend.close();
            }
            if (poller != null) {
                poller.close();
            }
            running.set(false);
        }
    }

    /** Submissions that arrived during a run that ended before taking them fail; stale wake-ups go. */
    private void rejectLeftovers(EventLoop l) {
        Object item;
        while ((item = inbox.poll()) != null) {
            if (item instanceof Submission<?> s) {
                s.reject(new CoroShutdownException("the scheduler run ended before the task started"));
            } else if (item instanceof LoopCall<?> call) {
                call.run(); // the loop's state is still there to answer from, on the thread that owned it
            }
        }
    }

    // ---------------------------------------------------------------- clock

    long clockNow() {
        return config.virtualTime() ? virtualNow : System.nanoTime() - clockOrigin;
    }

    /** Real time only: {@link #clockNow()} as it read at {@code nanoTime} (a {@code System.nanoTime()} value). */
    long clockAt(long nanoTime) {
        return nanoTime - clockOrigin;
    }

    void advanceVirtualClock(long to) {
        if (to > virtualNow) {
            virtualNow = to;
        }
    }

    // ---------------------------------------------------------------- inbox

    boolean hasInbox() {
        return !inbox.isEmpty();
    }

    Object pollInbox() {
        return inbox.poll();
    }

    /** Any thread: leaves {@code item} for the loop and wakes it if it may be waiting in poll. */
    void offerInbox(Object item) {
        inbox.offer(item);
        EventLoop l = loop;
        if (l != null) {
            l.wakeupPoller();
        }
    }

    @Override
    public <T> CompletableFuture<T> submit(Callable<T> task) {
        Objects.requireNonNull(task, "submitted task must not be null");
        CompletableFuture<T> future = new CompletableFuture<>();
        enqueue(new Submission<>(task, future));
        return future;
    }

    @Override
    public void execute(Runnable task) {
        Objects.requireNonNull(task, "executed task must not be null");
        enqueue(new Submission<>(CoroEngine.callable(task), null));
    }

    private void enqueue(Submission<?> s) {
        if (closed) {
            throw new RejectedExecutionException("scheduler '" + config.name() + "' is closed");
        }
        offerInbox(s);
    }

    /** A task from another thread, started as a coro when the loop takes it in. */
    record Submission<T>(Callable<T> task, CompletableFuture<T> future) {
        void start(EventLoop l) {
            // Taken in after a poll that may have waited long: the iteration's clock would age it wrongly.
            l.newCoro(null, task, future == null, future).spawnedAt = l.owner.clockNow();
        }

        void reject(RuntimeException why) {
            if (future != null) {
                future.completeExceptionally(why);
            }
        }
    }

    /** Asks the loop to end the run (main gets CoroShutdownException). */
    enum CloseRequest { INSTANCE }

    /** A question for the loop from another thread (a dump, a profile): answered on the loop thread. */
    record LoopCall<T>(Function<EventLoop, T> question, CompletableFuture<T> answer, EventLoop target)
            implements Runnable {
        @Override
        public void run() {
            try {
                answer.complete(question.apply(target));
            } catch (RuntimeException | Error e) {
                answer.completeExceptionally(e);
            }
        }
    }

    /** Any thread: has the loop of {@code l}'s run answer {@code question}; the future completes on the loop thread. */
    <T> CompletableFuture<T> callOnLoop(EventLoop l, Function<EventLoop, T> question) {
        CompletableFuture<T> f = new CompletableFuture<>();
        offerInbox(new LoopCall<>(question, f, l));
        return f;
    }

    /** The loop of the run in progress, or null between runs. */
    EventLoop runningLoop() {
        return loop;
    }

    /** Any thread: wakes the loop if it is blocked in poll, so that it applies a request at once. */
    void wakeLoop() {
        EventLoop l = loop;
        if (l != null) {
            l.wakeupPoller();
        }
    }

    // ---------------------------------------------------------------- observability, close

    /**
     * Rule 7's handler; never throws (it runs as a coro ends, where a failure would end the run). The
     * default logs an {@code IOException} (or {@code UncheckedIOException}) as one WARNING line with the
     * coro's id, name and the exception, and its stack at DEBUG only: a peer's reset or a bad request
     * ends its connection's coro as normal traffic, and 5,000 of them must not be 5,000 stacks. Every
     * other failure is an ERROR with its stack.
     */
    void reportUncaught(Coro<?> c, Throwable failure) {
        if (config.uncaughtHandler() == null) {
            String who = "coro #" + c.id() + " '" + c.name() + "'";
            if (failure instanceof IOException || failure instanceof UncheckedIOException) {
                // One line, whatever the message holds: log formats put the message on a line of its own.
                LoopLog.log(LOG, System.Logger.Level.WARNING, who + " ended by "
                        + String.valueOf(failure).replace('\r', ' ').replace('\n', ' '), null);
                boolean debug;
                try {
                    debug = LOG.isLoggable(System.Logger.Level.DEBUG);
                } catch (Throwable loggerFailure) {
                    debug = false; // the WARNING went through LoopLog's fallback already
                }
                if (debug) {
                    LoopLog.log(LOG, System.Logger.Level.DEBUG, who + ": the stack of the failure above", failure);
                }
                return;
            }
            LoopLog.log(LOG, System.Logger.Level.ERROR, who + " failed", failure);
            return;
        }
        try {
            config.uncaughtHandler().accept(c, failure);
        } catch (Throwable handlerFailure) {
            LoopLog.log(LOG, System.Logger.Level.ERROR, "uncaught-exception handler failed for coro #" + c.id(),
                    handlerFailure);
        }
    }

    @Override
    public SchedulerStats stats() {
        LoopStats.Snapshot f = finishedRuns;
        EventLoop l = loop;
        // Between runs, liveCoros counts the coros the last run had to abandon (0 unless one refused to end).
        LoopStats.Snapshot s = l != null ? l.snapshot() : LoopStats.Snapshot.NONE;
        LoopStats.Snapshot t = f.plus(s);
        return new SchedulerStats(t.switches(), t.passes(), t.timersFired(), t.ioEvents(),
                l != null ? s.live() : lastAbandoned, s.runQueue(), s.timers(), t.pollWaitNanos(), s.waits(),
                t.phases());
    }

    @Override
    public Profiler profiler() {
        return profiler;
    }

    @Override
    public String dump() {
        String[] why = new String[1];
        SchedulerDump d = takeDump(why);
        return d != null ? d.toText() : "scheduler '" + config.name() + "': " + why[0] + "\n";
    }

    @Override
    public SchedulerDump dumpState() {
        return takeDump(new String[1]);
    }

    /**
     * The run's dump, taken by the loop thread between coros (it alone may read their states and
     * stacks); null, with the reason in {@code why[0]}, when no run is in progress or the loop did not
     * answer within 10 s.
     */
    private SchedulerDump takeDump(String[] why) {
        EventLoop l = loop;
        if (l == null) {
            why[0] = "not running";
            return null;
        }
        if (CoroEngine.boundOrNull() == l.engine) {
            return l.dumpState();
        }
        try {
            return callOnLoop(l, EventLoop::dumpState).get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            why[0] = "dump interrupted";
        } catch (ExecutionException | TimeoutException e) {
            why[0] = "no dump (the loop did not answer within 10 s: " + e + ")";
        }
        return null;
    }

    /** Coros that survived every shutdown of the last run (0 unless one refuses to end). */
    int abandonedByLastRun() {
        return lastAbandoned;
    }

    @Override
    public String switcherName() {
        return switchProvider.name();
    }

    @Override
    public String pollerName() {
        return pollerProvider != null ? pollerProvider.name() : ParkingPoller.NAME;
    }

    /**
     * The close request always goes through the inbox, whether or not a run is in progress: a run
     * that has passed its closed check but not yet published {@link #loop} takes it in with its first
     * {@code takeInbox}, so a close at any moment ends the run; between runs it is simply dropped.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        offerInbox(CloseRequest.INSTANCE);
        if (loop == null) {
            rejectQueued();
        }
    }

    /** Rejects the queued submissions (close between runs); the close request stays for a racing run. */
    private void rejectQueued() {
        for (Object item : inbox) {
            if (item instanceof Submission<?> s && inbox.remove(s)) {
                s.reject(new java.util.concurrent.RejectedExecutionException(
                        "scheduler '" + config.name() + "' closed before the task started"));
            }
        }
    }

    @Override
    public String toString() {
        return "CoroScheduler[" + config.name() + ", switch " + switcherName() + ", poller " + pollerName()
                + (config.virtualTime() ? ", virtual time" : "") + "]";
    }
}
