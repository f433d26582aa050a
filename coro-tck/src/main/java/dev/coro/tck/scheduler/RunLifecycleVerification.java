package dev.coro.tck.scheduler;

import dev.coro.Coro;
import dev.coro.CoroShutdownException;
import dev.coro.Scheduler;
import dev.coro.tck.Leaks;
import dev.coro.tck.Rule;
import dev.coro.tck.RuleBrokenError;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SPEC.md §3 rule 8 and the scheduler's lifecycle: run, shutdown of the rest, close, re-run.
 * Example-based: a backend's test class extends this and returns its builder from
 * {@link #schedulerBuilder()}; each test is named after the rule it checks, and a failure names it.
 *
 * <p>Rules checked ({@link dev.coro.tck.Rule}): {@code rule8} (SPEC.md#rule-8), {@code api} (SPEC.md#api), {@code reliability} (SPEC.md#reliability), {@code observability} (SPEC.md#observability).
 */
public abstract class RunLifecycleVerification extends SchedulerVerificationBase {

    @Test
    public void rule8_runReturnsMainsResultAndShutsDownEveryOtherCoro() {
        Scheduler s = virtual();
        Coro<?>[] left = new Coro<?>[2];
        String v = runChecked(s, () -> {
            left[0] = Coro.spawn("sleeper", () -> {
                try {
                    Coro.sleep(Duration.ofDays(1));
                } catch (CoroShutdownException e) {
                    log("sleeper got shutdown");
                    throw e;
                }
            });
            Coro.yieldSlice();
            Coro.spawn("never started", () -> log("must not run")).shutdown(); // cancelled before it starts
            // Spawned as main ends: alive then, so it is shut down without ever running.
            left[1] = Coro.spawn("spawned last", () -> log("must not run either"));
            return "main result";
        });
        assertEquals("main result", v);
        assertTrue(left[0].isDone() && left[1].isDone());
        assertEquals(List.of("sleeper got shutdown"), trace);
        assertEquals(List.of(), uncaught, "shutdowns are not reported");
    }

    @Test
    public void rule8_aCoroMayUnwindThroughWaitsInItsFinallyBlocks() {
        Scheduler s = virtual();
        runChecked(s, () -> {
            Coro.spawn("stubborn", () -> {
                try {
                    Coro.sleep(Duration.ofDays(1));
                } finally {
                    try {
                        Coro.sleep(Duration.ofDays(1)); // a second wait while unwinding: shut down again
                    } finally {
                        log("unwound");
                    }
                }
            });
            Coro.yieldSlice();
            return null;
        });
        assertEquals(List.of("unwound"), trace);
    }

    /**
     * Threads (by identity: one named like a thread an earlier run left is still a leak) and fds: the
     * run used a latency watchdog, Coro.blocking, Coro.await, timers, a dump and stack traces.
     */
    @Test
    public void rule8_noThreadOrFdIsLeftAfterARun() {
        Leaks before = Leaks.snapshot();
        Scheduler s = builder().latencyWarning(Duration.ofMillis(200)).build();
        s.run(() -> {
            for (int i = 0; i < 10; i++) {
                Coro.spawn(() -> Coro.sleep(Duration.ofDays(1)));
            }
            Coro.blocking(() -> "on a worker");
            Coro.await(CompletableFuture.supplyAsync(() -> "from another thread"));
            Coro.sleep(Duration.ofMillis(1));
            s.dump();
            return null;
        });
        s.close();
        List<String> left = before.leftSince(closeBound());
        if (!left.isEmpty()) {
            throw new RuleBrokenError(Rule.RULE_8, "left behind by a run and close(), " + closeBound() + " later "
                    + "(counted by identity):\n    " + String.join("\n    ", left));
        }
    }

    @Test
    public void api_aSchedulerRunsAgainAfterARunEndsAndItsClockGoesOn() {
        Scheduler s = virtual();
        long first = s.run(() -> {
            Coro.sleep(ms(5));
            return Coro.now();
        });
        long second = s.run(() -> {
            Coro.sleep(ms(5));
            return Coro.now();
        });
        assertEquals(5_000_000L, first);
        assertEquals(10_000_000L, second);
        assertTrue(s.stats().switches() >= 4, "stats add up across runs: " + s.stats());
    }

    @Test
    public void reliability_nestedRunIsRejected() {
        Scheduler outer = virtual();
        Scheduler inner = virtual();
        runChecked(outer, () -> {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> inner.run(() -> "x"));
            assertTrue(e.getMessage().contains("nested"), e.getMessage());
            return null;
        });
    }

    @Test
    public void api_closeFromAnotherThreadEndsTheRunWithShutdown() throws Exception {
        Scheduler s = builder().build();
        CompletableFuture<Throwable> outcome = new CompletableFuture<>();
        CompletableFuture<Void> started = new CompletableFuture<>();
        Thread t = Thread.ofPlatform().name("test-scheduler").start(() -> {
            try {
                s.run(() -> {
                    started.complete(null);
                    Coro.sleep(Duration.ofDays(1));
                    return null;
                });
                outcome.complete(null);
            } catch (Throwable e) {
                outcome.complete(e);
            }
        });
        started.get(10, TimeUnit.SECONDS);
        s.close();
        Throwable e = outcome.get(10, TimeUnit.SECONDS);
        t.join(10_000);
        assertTrue(e instanceof CoroShutdownException, "run ended with " + e);
        assertThrows(IllegalStateException.class, () -> s.run(() -> "again"));
        assertThrows(RejectedExecutionException.class, () -> s.submit(() -> "late"));
    }

    @Test
    public void observability_statsAndDumpDescribeTheRun() {
        Scheduler s = virtual();
        runChecked(s, () -> {
            Coro<?> sleeper = Coro.spawn("dump-me", () -> Coro.sleep(Duration.ofDays(1)));
            Coro.yieldSlice();
            var st = s.stats();
            assertEquals(2, st.liveCoros());
            assertEquals(1, st.timerHeapSize());
            assertTrue(st.switches() >= 2 && st.passes() >= 2 && st.timersFired() >= 1, st.toString());
            String dump = s.dump();
            assertTrue(dump.contains("'dump-me' SLEEPING"), dump);
            assertTrue(dump.contains("'main' RUNNING"), dump);
            assertTrue(dump.contains("at dev.coro.Coro.sleep("), "the sleeper's stack shows where it waits:\n" + dump);
            sleeper.shutdown();
            return null;
        });
        assertTrue(s.dump().contains("not running"));
    }
}
