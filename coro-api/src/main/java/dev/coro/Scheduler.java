package dev.coro;

import dev.coro.spi.SchedulerConfig;
import dev.coro.spi.SchedulerFactory;

import java.time.Duration;
import java.util.Objects;
import java.util.ServiceLoader;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.BiConsumer;

/**
 * The event loop: one OS thread (the one that calls {@link #run}) runs every coro of this
 * scheduler. {@link #submit} and {@link #execute} are the only methods meant for other OS threads.
 * [shrapnel: {@code event_loop}]
 */
public interface Scheduler extends Executor, AutoCloseable {

    /** A builder; backends are chosen when {@link Builder#build()} is called. */
    static Builder builder() {
        return new Builder();
    }

    /**
     * Runs the event loop on the calling thread until {@code main} (itself run as a coro) finishes,
     * then shuts down every coro still alive and closes the backends. Returns main's result or
     * rethrows its failure (checked exceptions wrapped in {@link CoroExecutionException}).
     */
    <T> T run(Callable<T> main);

    /** {@link #run(Callable)} for a main with no result. */
    default void run(Runnable main) {
        run(() -> {
            main.run();
            return null;
        });
    }

    /**
     * Thread-safe: runs {@code task} as a new coro of this scheduler (during the current or next
     * {@link #run}) and completes the future with its outcome.
     */
    <T> CompletableFuture<T> submit(Callable<T> task);

    /** Thread-safe: runs {@code task} as a new coro; a failure goes to the uncaught-exception handler. */
    @Override
    void execute(Runnable task);

    /** Counters; see {@link SchedulerStats}. */
    SchedulerStats stats();

    /**
     * {@link #dumpState()} as text ({@link SchedulerDump#toText()}): every live coro with its id, name,
     * age, state, what it waits for and its stack, coros with the same stack collapsed into one entry
     * with their count. Thread-safe; for diagnostics: costly (each stack is 10–80 µs). Between runs, a
     * line saying the scheduler is not running.
     */
    String dump();

    /** This scheduler's profiler (off until started); see {@link Profiler}. */
    Profiler profiler();

    /**
     * Every live coro of the run in progress, as records (SPEC.md §5). Thread-safe: from another
     * thread it is answered by the loop between coros (waiting at most 10 s for it); null when no run is
     * in progress or the loop did not answer.
     */
    SchedulerDump dumpState();

    /** The switch backend in use, e.g. {@code native}. */
    String switcherName();

    /** The poller in use, e.g. {@code nio}. */
    String pollerName();

    /**
     * Ends this scheduler: a run in progress is ended as if main got {@link CoroShutdownException};
     * later {@code run}, {@code submit} and {@code execute} calls are rejected. Idempotent.
     */
    @Override
    void close();

    /** Collects the choices of {@link Scheduler#builder()}. Not thread-safe. */
    final class Builder {
        private String switcher;
        private String poller;
        private boolean virtualTime;
        private int maxBatchesPerPhase = 64;
        private Duration latencyThreshold = Duration.ofMillis(200);
        private BiConsumer<Coro<?>, Throwable> uncaughtHandler;
        private String name = "coro-scheduler";
        private int blockingThreads; // 0: -Dcoro.blockingThreads or the default, read at build()

        Builder() {
        }

        /** The switch backend by name ({@code native}, {@code loom}); default: {@code -Dcoro.switch}, else the preferred one found. */
        public Builder switcher(String name) {
            this.switcher = Objects.requireNonNull(name, "switcher name");
            return this;
        }

        /** The poller by name ({@code nio}, {@code kqueue}); default: {@code -Dcoro.poller}, else the preferred one found. */
        public Builder poller(String name) {
            this.poller = Objects.requireNonNull(name, "poller name");
            return this;
        }

        /**
         * A virtual clock: it moves only when nothing is runnable and no I/O is ready, straight to
         * the next deadline, so sleeps and timeouts are exact and instant (for tests).
         */
        public Builder virtualTime() {
            this.virtualTime = true;
            return this;
        }

        /** How many run batches one run phase may take before timers and I/O get their turn (default 64). */
        public Builder maxBatchesPerPhase(int batches) {
            if (batches < 1) {
                throw new IllegalArgumentException("maxBatchesPerPhase must be at least 1, got " + batches);
            }
            this.maxBatchesPerPhase = batches;
            return this;
        }

        /** Report a coro that runs longer than {@code threshold} without switching (default 200 ms; zero turns it off). */
        public Builder latencyWarning(Duration threshold) {
            Objects.requireNonNull(threshold, "latency threshold");
            if (threshold.isNegative()) {
                throw new IllegalArgumentException("latency threshold must not be negative, got " + threshold);
            }
            this.latencyThreshold = threshold;
            return this;
        }

        /**
         * Where failures escaping a coro go. Default: a System.Logger record — for an {@code IOException}
         * one WARNING line with the coro's id, name and message (the stack at DEBUG), for anything else
         * ERROR with the stack.
         */
        public Builder uncaughtExceptionHandler(BiConsumer<Coro<?>, Throwable> handler) {
            this.uncaughtHandler = Objects.requireNonNull(handler, "uncaught exception handler");
            return this;
        }

        /**
         * The most platform threads {@code Coro.blocking} calls of one run may use at once; further
         * calls queue (FIFO) until a thread is free. Default: {@code -Dcoro.blockingThreads}, else 64.
         * Threads are made on demand and end after 10 s idle, and all of them with the run.
         */
        public Builder blockingThreads(int threads) {
            if (threads < 1) {
                throw new IllegalArgumentException("blockingThreads must be at least 1, got " + threads);
            }
            this.blockingThreads = threads;
            return this;
        }

        private static int defaultBlockingThreads() {
            String p = System.getProperty("coro.blockingThreads");
            if (p == null) {
                return 64;
            }
            try {
                int n = Integer.parseInt(p.trim());
                if (n >= 1) {
                    return n;
                }
            } catch (NumberFormatException e) {
                // reported below with the value
            }
            throw new IllegalArgumentException("-Dcoro.blockingThreads must be a whole number of at least 1, got '"
                    + p + "'");
        }

        /** A name for logs and the thread-dump header. */
        public Builder name(String name) {
            this.name = Objects.requireNonNull(name, "scheduler name");
            return this;
        }

        /** Finds the backends and builds the scheduler; fails with a message naming what is missing. */
        public Scheduler build() {
            SchedulerConfig config = new SchedulerConfig(name, switcher, poller, virtualTime,
                    maxBatchesPerPhase, latencyThreshold, uncaughtHandler,
                    blockingThreads > 0 ? blockingThreads : defaultBlockingThreads());
            SchedulerFactory factory = ServiceLoader.load(SchedulerFactory.class, Scheduler.class.getClassLoader())
                    .findFirst()
                    .orElseThrow(() -> new IllegalStateException(
                            "no coro scheduler on the class path: add the dependency dev.coro:coro-scheduler"));
            return factory.create(config);
        }
    }
}
