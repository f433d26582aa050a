package dev.coro.sync;

import dev.coro.Coro;
import dev.coro.CoroTimeoutException;
import dev.coro.scheduler.CoroContext;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;

/**
 * Runs N callables as coros of the caller's scheduler and collects every result or failure, in the
 * order of the callables. [shrapnel: {@code in_parallel}]
 *
 * <p>Invariants: every task's outcome is captured inside its own coro (nothing reaches the uncaught
 * handler, no failure is lost); if the caller leaves early (interrupt, timeout, shutdown) the tasks
 * still running are shut down, so none outlives the call unnoticed.
 */
public final class InParallel {
    private InParallel() {
    }

    /** The outcome of one task: its value, or the throwable it ended with. */
    public record Outcome<T>(T value, Throwable failure) {
        public boolean succeeded() {
            return failure == null;
        }

        /** The value, or the failure rethrown (checked ones wrapped in {@code CoroExecutionException}). */
        public T get() {
            if (failure == null) {
                return value;
            }
            if (failure instanceof RuntimeException r) {
                throw r;
            }
            if (failure instanceof Error e) {
                throw e;
            }
            throw new dev.coro.CoroExecutionException("task failed: " + failure, failure);
        }
    }

    /** Runs every task as a coro; returns each outcome, in task order, once all have finished. */
    public static <T> List<Outcome<T>> run(List<? extends Callable<? extends T>> tasks) {
        List<Callable<? extends T>> ts = check(tasks);
        CoroContext.self("InParallel.run");
        return collect(start(ts));
    }

    /** {@link #run(List)}; after {@code timeout} the unfinished tasks are shut down and {@code CoroTimeoutException} is thrown. */
    public static <T> List<Outcome<T>> run(List<? extends Callable<? extends T>> tasks, Duration timeout) {
        List<Callable<? extends T>> ts = check(tasks);
        Primitive.checkTimeout(timeout);
        CoroContext.self("InParallel.run");
        List<Coro<Outcome<T>>> coros = start(ts);
        try {
            return Coro.withTimeout(timeout, () -> collect(coros));
        } catch (CoroTimeoutException e) {
            throw new CoroTimeoutException("InParallel.run of " + ts.size() + " tasks timed out after " + timeout, e);
        }
    }

    /**
     * Runs every task and returns their values in task order; if any failed, throws
     * {@link InParallelException} carrying every outcome (each failure also added as suppressed).
     */
    public static <T> List<T> values(List<? extends Callable<? extends T>> tasks) {
        List<Outcome<T>> outcomes = run(tasks);
        List<T> values = new ArrayList<>(outcomes.size());
        for (Outcome<T> o : outcomes) {
            if (!o.succeeded()) {
                throw new InParallelException(outcomes);
            }
            values.add(o.value());
        }
        return values;
    }

    private static <T> List<Callable<? extends T>> check(List<? extends Callable<? extends T>> tasks) {
        Objects.requireNonNull(tasks, "task list must not be null");
        List<Callable<? extends T>> ts = new ArrayList<>(tasks.size());
        for (int i = 0; i < tasks.size(); i++) {
            ts.add(Objects.requireNonNull(tasks.get(i), "task " + i + " must not be null"));
        }
        return ts;
    }

    private static <T> List<Coro<Outcome<T>>> start(List<Callable<? extends T>> tasks) {
        List<Coro<Outcome<T>>> coros = new ArrayList<>(tasks.size());
        for (int i = 0; i < tasks.size(); i++) {
            Callable<? extends T> task = tasks.get(i);
            coros.add(Coro.spawn("in-parallel-" + i, () -> {
                try {
                    return new Outcome<T>(task.call(), null);
                } catch (Throwable t) {
                    return new Outcome<T>(null, t);
                }
            }));
        }
        return coros;
    }

    private static <T> List<Outcome<T>> collect(List<Coro<Outcome<T>>> coros) {
        boolean done = false;
        try {
            List<Outcome<T>> outcomes = new ArrayList<>(coros.size());
            for (Coro<Outcome<T>> c : coros) {
                outcomes.add(c.join());
            }
            done = true;
            return outcomes;
        } finally {
            if (!done) {
                for (Coro<Outcome<T>> c : coros) {
                    c.shutdown(); // does nothing to a finished one; cancels one that never started
                }
            }
        }
    }
}
