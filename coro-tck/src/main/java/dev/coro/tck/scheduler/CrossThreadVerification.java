package dev.coro.tck.scheduler;

import dev.coro.Coro;
import dev.coro.Scheduler;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * submit/execute from other OS threads: the thread-safe inbox and the idle wait's wake-up.
 * Example-based: a backend's test class extends this and returns its builder from
 * {@link #schedulerBuilder()}; each test is named after the rule it checks, and a failure names it.
 *
 * <p>Rules checked ({@link dev.coro.tck.Rule}): {@code api} (SPEC.md#api).
 */
public abstract class CrossThreadVerification extends SchedulerVerificationBase {

    /** Runs a scheduler on its own thread whose main sleeps until closed. */
    private Thread runInBackground(Scheduler s, CountDownLatch started) {
        return Thread.ofPlatform().name("test-loop").start(() -> {
            try {
                s.run(() -> {
                    started.countDown();
                    Coro.sleep(Duration.ofDays(1));
                    return null;
                });
            } catch (dev.coro.CoroShutdownException expected) {
                // close() ends the run this way
            }
        });
    }

    @Test
    public void api_submitFromManyThreadsWakesAnIdleSchedulerAndCompletesEveryFuture() throws Exception {
        Scheduler s = builder().build();
        CountDownLatch started = new CountDownLatch(1);
        Thread loop = runInBackground(s, started);
        assertTrue(started.await(10, TimeUnit.SECONDS));
        // Four producer threads submit concurrently; each keeps its own futures.
        List<List<CompletableFuture<Long>>> perProducer = new ArrayList<>();
        List<Thread> producers = new ArrayList<>();
        for (int p = 0; p < 4; p++) {
            int base = p * 1000;
            List<CompletableFuture<Long>> mine = new ArrayList<>();
            perProducer.add(mine);
            producers.add(Thread.ofPlatform().start(() -> {
                for (int i = 0; i < 250; i++) {
                    long v = base + i;
                    mine.add(s.submit(() -> {
                        Coro.yieldSlice(); // it really is a coro
                        return v;
                    }));
                }
            }));
        }
        for (Thread t : producers) {
            t.join(10_000);
        }
        List<CompletableFuture<Long>> futures = new ArrayList<>();
        perProducer.forEach(futures::addAll);
        assertEquals(1000, futures.size());
        long sum = 0;
        for (CompletableFuture<Long> f : futures) {
            sum += f.get(10, TimeUnit.SECONDS);
        }
        long expected = 0;
        for (int p = 0; p < 4; p++) {
            for (int i = 0; i < 250; i++) {
                expected += p * 1000L + i;
            }
        }
        assertEquals(expected, sum);
        s.close();
        loop.join(10_000);
        assertTrue(!loop.isAlive(), "the loop thread did not end after close()");
    }

    @Test
    public void api_submitFailureCompletesTheFutureExceptionally() throws Exception {
        Scheduler s = builder().build();
        CountDownLatch started = new CountDownLatch(1);
        Thread loop = runInBackground(s, started);
        assertTrue(started.await(10, TimeUnit.SECONDS));
        CompletableFuture<Object> f = s.submit(() -> {
            throw new IllegalStateException("task failed");
        });
        ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(10, TimeUnit.SECONDS));
        assertInstanceOf(IllegalStateException.class, e.getCause());
        assertEquals(List.of(), uncaught, "a submit's failure belongs to its future");
        CountDownLatch ran = new CountDownLatch(1);
        s.execute(() -> {
            ran.countDown();
            throw new IllegalArgumentException("executed task failed");
        });
        assertTrue(ran.await(10, TimeUnit.SECONDS));
        s.close();
        loop.join(10_000);
        assertEquals(1, uncaught.size(), "an execute's failure goes to the handler");
    }

    @Test
    public void api_runsInProgressOnTwoThreadsAtOnceEachFindTheirOwnCoros() throws Exception {
        // The Coro statics find the calling coro's run from the thread they are called on, and the
        // scheduler thread has a fast path of its own: with two runs in progress at once, side by side
        // on two threads, every call must still find its own run and coro.
        CountDownLatch bothRunning = new CountDownLatch(2);
        List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        long[] checked = new long[2];
        List<Thread> threads = new ArrayList<>();
        for (int r = 0; r < 2; r++) {
            int run = r;
            Scheduler s = builder().build();
            threads.add(Thread.ofPlatform().name("test-run-" + run).start(() -> {
                try {
                    checked[run] = s.run(() -> {
                        bothRunning.countDown();
                        long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                        while (bothRunning.getCount() > 0) {
                            if (System.nanoTime() > giveUp) {
                                throw new AssertionError("the other run did not start within 10 s");
                            }
                            Coro.yieldSlice();
                        }
                        Coro<Long> child = Coro.spawn(() -> ownCoroChecks(run));
                        return ownCoroChecks(run) + child.join();
                    });
                } catch (Throwable t) {
                    failures.add(t);
                } finally {
                    s.close();
                }
            }));
        }
        for (Thread t : threads) {
            t.join(60_000);
            assertTrue(!t.isAlive(), t.getName() + " did not end");
        }
        assertEquals(List.of(), failures, "rule api: a run on its own thread must find only its own coros");
        assertEquals(2 * 20_000L, checked[0], "run 0's checks");
        assertEquals(2 * 20_000L, checked[1], "run 1's checks");
    }

    /** Yields 20,000 times, checking after each that {@code Coro.current()} is still the caller; returns the count. */
    private static long ownCoroChecks(int run) {
        Coro<?> me = Coro.current();
        long n = 0;
        for (int i = 0; i < 20_000; i++) {
            Coro.yieldSlice();
            Coro<?> now = Coro.current();
            if (now != me) {
                throw new AssertionError("rule api: in run " + run + ", Coro.current() returned " + now
                        + " to " + me + " (after " + i + " yields)");
            }
            n++;
        }
        return n;
    }

    @Test
    public void api_submitBeforeRunIsTakenByTheRun() throws Exception {
        Scheduler s = virtual();
        CompletableFuture<String> f = s.submit(() -> "early");
        s.run(() -> {
            Coro.yieldSlice();
            return null;
        });
        assertEquals("early", f.get(0, TimeUnit.SECONDS));
    }

    @Test
    public void api_closeBeforeRunRejectsQueuedSubmits() {
        Scheduler s = virtual();
        CompletableFuture<String> f = s.submit(() -> "never");
        s.close();
        assertTrue(f.isCompletedExceptionally());
    }

    @Test
    public void api_dumpFromAnotherThreadIsAnsweredByTheLoop() throws Exception {
        Scheduler s = builder().build();
        CountDownLatch started = new CountDownLatch(1);
        Thread loop = runInBackground(s, started);
        assertTrue(started.await(10, TimeUnit.SECONDS));
        String dump = s.dump();
        assertTrue(dump.contains("'main' SLEEPING"), dump);
        s.close();
        loop.join(10_000);
    }

    @Test
    public void api_aSubmittedTasksFutureCompletesOnTheLoopOutsideTheFinishedCoro() throws Exception {
        // Callbacks on a coro's future must not run on the dying coro's stack, where one that waits
        // would suspend a coro that has already finished.
        Scheduler s = virtual();
        java.util.concurrent.atomic.AtomicReference<String> where = new java.util.concurrent.atomic.AtomicReference<>();
        String v = runChecked(s, () -> {
            java.util.concurrent.CompletableFuture<String> f = s.submit(() -> {
                Coro.yieldSlice(); // the callback below is registered by now
                return "task";
            });
            f.whenComplete((r, t) -> {
                try {
                    where.set("inside coro '" + Coro.current().name() + "'");
                } catch (dev.coro.NotInCoroException e) {
                    where.set("outside any coro");
                }
            });
            return Coro.await(f);
        });
        assertEquals("task", v);
        assertEquals("outside any coro", where.get());
    }
}
