package dev.coro.tck.scheduler;

import dev.coro.Coro;
import dev.coro.CoroExecutionException;
import dev.coro.CoroTimeoutException;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Coro.await (a CompletableFuture, without blocking the scheduler) and Coro.blocking (a worker pool).
 * Example-based: a backend's test class extends this and returns its builder from
 * {@link #schedulerBuilder()}; each test is named after the rule it checks, and a failure names it.
 */
public abstract class AwaitAndBlockingVerification extends SchedulerVerificationBase {

    @Test
    public void api_awaitAFutureCompletedByAnotherThreadWhileOtherCorosRun() {
        String v = runChecked(builder().build(), () -> {
            CompletableFuture<String> f = new CompletableFuture<>();
            CountDownLatch go = new CountDownLatch(1);
            Coro<?> other = Coro.spawn("other", () -> {
                log("other ran");
                go.countDown(); // only now may the future complete: other ran while main waited
            });
            Thread.ofPlatform().start(() -> {
                try {
                    if (go.await(10, TimeUnit.SECONDS)) {
                        f.complete("from thread");
                    }
                } catch (InterruptedException e) {
                    f.completeExceptionally(e);
                }
            });
            String r = Coro.await(f);
            log("awaited");
            other.join();
            return r;
        });
        assertEquals("from thread", v);
        assertEquals(List.of("other ran", "awaited"), trace);
    }

    @Test
    public void api_awaitRethrowsTheFuturesFailureAndHonoursTimeouts() {
        runVirtual(() -> {
            CompletableFuture<String> failed = CompletableFuture.failedFuture(new IllegalStateException("nope"));
            assertEquals("nope", assertThrows(IllegalStateException.class, () -> Coro.await(failed)).getMessage());
            CompletableFuture<String> checked = CompletableFuture.failedFuture(new IOException("io"));
            assertInstanceOf(IOException.class, assertThrows(CoroExecutionException.class, () -> Coro.await(checked)).getCause());
            CompletableFuture<String> never = new CompletableFuture<>();
            assertThrows(CoroTimeoutException.class, () -> Coro.withTimeout(ms(10), () -> Coro.await(never)));
            assertEquals(10_000_000L, Coro.now());
            never.complete("late"); // completes after the waiter left: harmless
            Coro.yieldSlice();
            return null;
        });
    }

    @Test
    public void api_blockingRunsOnAWorkerWhileOtherCorosRun() {
        runChecked(builder().build(), () -> {
            CountDownLatch otherRan = new CountDownLatch(1);
            Coro<?> other = Coro.spawn("other", otherRan::countDown);
            String v = Coro.blocking(() -> {
                // A worker thread, not the scheduler: it can wait for the other coro to have run.
                assertTrue(otherRan.await(10, TimeUnit.SECONDS), "the scheduler was blocked");
                return Thread.currentThread().getName();
            });
            assertTrue(v.startsWith("coro-blocking-"), v);
            other.join();
            return null;
        });
    }

    @Test
    public void api_aTimeoutAroundABlockingCallInterruptsTheWorker() {
        CountDownLatch workerInterrupted = new CountDownLatch(1);
        runChecked(builder().build(), () -> {
            assertThrows(CoroTimeoutException.class, () -> Coro.withTimeout(ms(20), () -> Coro.blocking(() -> {
                try {
                    new CountDownLatch(1).await(1, TimeUnit.DAYS);
                } catch (InterruptedException e) {
                    workerInterrupted.countDown();
                }
                return null;
            })));
            return null;
        });
        try {
            assertTrue(workerInterrupted.await(10, TimeUnit.SECONDS), "the worker was not interrupted");
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    public void api_nullArgumentsAreRejected() {
        runVirtual(() -> {
            assertThrows(NullPointerException.class, () -> Coro.await(null));
            assertThrows(NullPointerException.class, () -> Coro.blocking(null));
            return null;
        });
        assertThrows(dev.coro.NotInCoroException.class, () -> Coro.await(new CompletableFuture<>()));
    }
}
