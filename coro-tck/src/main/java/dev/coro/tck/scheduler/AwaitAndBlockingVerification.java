package dev.coro.tck.scheduler;

import dev.coro.Coro;
import dev.coro.CoroExecutionException;
import dev.coro.CoroTimeoutException;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
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
 *
 * <p>Rules checked ({@link dev.coro.tck.Rule}): {@code api} (SPEC.md#api), {@code rule10} (SPEC.md#rule-10).
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

    @Test
    public void rule10_virtualTimeWaitsForABlockingCallInFlight() {
        // A 30 s (virtual) timeout around 50 ms of real work on a worker: the clock must not jump to the
        // timebomb while the worker is still busy.
        String v = runVirtual(() -> {
            String r = Coro.withTimeout(Duration.ofSeconds(30), () -> Coro.blocking(() -> {
                Thread.sleep(50); // stands for real work of another thread
                return "done";
            }));
            assertTrue(Coro.now() < 30_000_000_000L, "the virtual clock jumped to the timebomb: " + Coro.now());
            return r;
        });
        assertEquals("done", v);
    }

    @Test
    public void rule10_virtualTimeWaitsForAFutureAnotherThreadCompletes() {
        String v = runVirtual(() -> {
            CompletableFuture<String> f = new CompletableFuture<>();
            Thread t = Thread.ofPlatform().start(() -> {
                try {
                    Thread.sleep(50); // stands for real work of another thread
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                f.complete("completed");
            });
            String r = Coro.withTimeout(Duration.ofSeconds(30), () -> Coro.await(f));
            t.join();
            return r;
        });
        assertEquals("completed", v);
    }

    @Test
    public void api_awaitsThatTimeOutOrAreInterruptedLeaveNoCallbackOnTheFuture() {
        CompletableFuture<String> never = new CompletableFuture<>();
        runVirtual(() -> {
            for (int i = 0; i < 2_000; i++) {
                assertThrows(CoroTimeoutException.class, () -> Coro.withTimeout(Duration.ZERO, () -> Coro.await(never)));
            }
            Coro<?> me = Coro.current();
            for (int i = 0; i < 2_000; i++) {
                Coro<?> interrupter = Coro.spawn(() -> me.interrupt("stop"));
                assertThrows(dev.coro.CoroInterruptedException.class, () -> Coro.await(never));
                interrupter.join();
            }
            return null;
        });
        assertEquals(0, never.getNumberOfDependents(), "callbacks left on the future by waits that ended early");
    }

    @Test
    public void api_blockingUsesAtMostItsConfiguredNumberOfThreads() {
        assertBlockingThreadsAtMost(builder().blockingThreads(8), 8);
    }

    @Test
    public void api_blockingIsBoundedByDefault() {
        assertBlockingThreadsAtMost(builder(), 64);
    }

    /**
     * 10,000 concurrent Coro.blocking calls. Each waits (100 ms at most) until {@code limit + 1} calls
     * have started, so an unbounded pool would run more than {@code limit} at once on as many threads;
     * a bounded one never gets there, and after the first calls give up waiting the rest pass at once.
     */
    private void assertBlockingThreadsAtMost(dev.coro.Scheduler.Builder b, int limit) {
        Set<Thread> used = ConcurrentHashMap.newKeySet();
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        CountDownLatch moreThanLimit = new CountDownLatch(limit + 1);
        runChecked(b.build(), () -> {
            List<Coro<?>> calls = new ArrayList<>();
            for (int i = 0; i < 10_000; i++) {
                calls.add(Coro.spawn(() -> Coro.blocking(() -> {
                    used.add(Thread.currentThread());
                    most.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
                    moreThanLimit.countDown();
                    moreThanLimit.await(100, TimeUnit.MILLISECONDS);
                    inFlight.decrementAndGet();
                    return null;
                })));
            }
            for (Coro<?> c : calls) {
                c.join();
            }
            return null;
        });
        assertTrue(used.size() <= limit, used.size() + " worker threads for 10000 blocking calls; the limit is " + limit);
        assertTrue(most.get() <= limit, most.get() + " blocking calls ran at once; the limit is " + limit);
    }
}
