package dev.coro.scheduler;

import dev.coro.CoroExecutionException;
import dev.coro.CoroInterruptedException;

import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Coros waiting for other threads: {@code Coro.await(future)} and {@code Coro.blocking(callable)},
 * whose worker pool lives here.
 *
 * <p>Invariants: {@link #awaiting} counts coros suspended in {@link #await}, which virtual time must
 * wait for (rule 10). The completion reaches the loop only through the owner's inbox, as a task that
 * wakes the coro if its wait (a fresh {@link IoWait}) is still active; a coro that left early
 * completes its {@code leave} future, which unlinks the dead completion from the awaited future.
 * Scheduler thread only, except the completion callbacks, which only post to the inbox.
 */
final class ExternalWaits {
    private static final System.Logger LOG = System.getLogger("dev.coro.scheduler");

    private final EventLoop loop;
    int awaiting;
    private ThreadPoolExecutor blockingPool;

    ExternalWaits(EventLoop loop) {
        this.loop = loop;
    }

    /**
     * Suspends {@code me} until {@code future} completes. The wake-up hangs off
     * {@code anyOf(future, leave)} rather than off {@code future} itself: when the coro leaves early
     * (timeout, interrupt, shutdown) it completes {@code leave}, and the JDK then unlinks the dead
     * completion from {@code future}'s stack, so a long-lived future that many coros gave up on
     * keeps no callback per abandoned wait.
     */
    <T> T await(CoroImpl<?> me, CompletableFuture<T> future) {
        return await(me, future, future);
    }

    /** {@link #await(CoroImpl, CompletableFuture)}, the dump showing {@code on} (the future, or a blocking call's task). */
    private <T> T await(CoroImpl<?> me, CompletableFuture<T> future, Object on) {
        if (!future.isDone()) {
            IoWait w = new IoWait(me);
            CompletableFuture<Void> leave = new CompletableFuture<>();
            CompletableFuture.anyOf(future, leave).whenComplete((v, t) -> {
                if (!leave.isDone()) {
                    loop.owner.offerInbox((Runnable) () -> {
                        if (w.active) {
                            w.active = false;
                            loop.states.wake(me, null);
                        }
                    });
                }
            });
            awaiting++;
            try {
                while (!future.isDone()) {
                    loop.states.suspend(me, on);
                }
            } finally {
                awaiting--;
                w.active = false;
                leave.complete(null);
            }
        }
        try {
            return future.join();
        } catch (CompletionException e) {
            throw CoroExecutionException.rethrow(e.getCause() != null ? e.getCause() : e);
        }
    }

    /** Runs {@code task} on a worker thread while {@code me} waits; a coro that leaves interrupts the worker. */
    <T> T blocking(CoroImpl<?> me, Callable<T> task) {
        CompletableFuture<T> result = new CompletableFuture<>();
        Future<?> job = pool().submit(() -> {
            try {
                result.complete(task.call());
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        });
        try {
            return await(me, result, task);
        } catch (CoroInterruptedException e) {
            job.cancel(true); // the coro left (timeout, interrupt, shutdown): interrupt the worker too
            throw e;
        }
    }

    /**
     * Worker threads for {@link #blocking}: at most {@code blockingThreads} of them (made on demand,
     * ended after 10 s idle), excess calls wait in a FIFO queue; made on first use, ended with the run.
     * A call whose coro left while it was still queued stays queued, cancelled, and costs nothing
     * when a worker reaches it.
     */
    private ThreadPoolExecutor pool() {
        if (blockingPool == null) {
            int n = loop.owner.config.blockingThreads();
            blockingPool = new ThreadPoolExecutor(n, n, 10, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                    Thread.ofPlatform().daemon().name("coro-blocking-" + loop.owner.config.name() + "-", 0).factory());
            blockingPool.allowCoreThreadTimeOut(true);
        }
        return blockingPool;
    }

    /** Ends the blocking pool's threads (at the end of a run). */
    void closePool() {
        if (blockingPool != null) {
            blockingPool.shutdownNow();
            try {
                if (!blockingPool.awaitTermination(10, TimeUnit.SECONDS)) {
                    LoopLog.log(LOG, System.Logger.Level.WARNING, "blocking calls still running 10 s after the run ended", null);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
