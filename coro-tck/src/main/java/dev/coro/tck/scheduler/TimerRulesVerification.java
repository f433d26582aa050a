package dev.coro.tck.scheduler;

import dev.coro.Coro;
import dev.coro.CoroTimeoutException;
import dev.coro.Scheduler;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SPEC.md §3 rules 4 and 10: deadlines, ties, no early wake-up, virtual time.
 * Example-based: a backend's test class extends this and returns its builder from
 * {@link #schedulerBuilder()}; each test is named after the rule it checks, and a failure names it.
 *
 * <p>Rules checked ({@link dev.coro.tck.Rule}): {@code rule4} (SPEC.md#rule-4), {@code rule10} (SPEC.md#rule-10), {@code rule6} (SPEC.md#rule-6).
 */
public abstract class TimerRulesVerification extends SchedulerVerificationBase {

    @Test
    public void rule4_sleepersWakeInDeadlineOrderAndTiesInCallOrder() {
        runVirtual(() -> {
            Coro<?> a = Coro.spawn("A", () -> {
                Coro.sleep(ms(20));
                logAt("A");
            });
            Coro<?> b = Coro.spawn("B", () -> {
                Coro.sleep(ms(10));
                logAt("B");
            });
            Coro<?> c = Coro.spawn("C", () -> {
                Coro.sleep(ms(20));
                logAt("C");
            });
            Coro<?> d = Coro.spawn("D", () -> {
                Coro.sleepUntil(20_000_000L);
                logAt("D");
            });
            a.join();
            b.join();
            c.join();
            d.join();
            return null;
        });
        assertEquals(List.of("B@10", "A@20", "C@20", "D@20"), trace);
    }

    @Test
    public void rule4_timebombInsertedFirstWinsATieWithASleep() {
        // withTimeout(0, sleep(0)) times out: the timebomb went into the heap first.
        runVirtual(() -> {
            assertThrows(CoroTimeoutException.class, () -> Coro.withTimeout(Duration.ZERO, () -> Coro.sleep(Duration.ZERO)));
            return null;
        });
    }

    @Test
    public void rule4_neverWakesBeforeItsDeadlineInRealTime() {
        Scheduler s = builder().build();
        runChecked(s, () -> {
            for (int i = 0; i < 20; i++) {
                long d = (i % 5) * 300_000L;
                long before = Coro.now();
                Coro.sleep(Duration.ofNanos(d));
                long slept = Coro.now() - before;
                assertTrue(slept >= d, "slept " + slept + " ns, asked for " + d);
            }
            return null;
        });
    }

    @Test
    public void rule4_sleepUntilInThePastWakesOnTheNextIteration() {
        runVirtual(() -> {
            Coro.sleep(ms(5));
            Coro.sleepUntil(0);
            logAt("woke");
            return null;
        });
        assertEquals(List.of("woke@5"), trace);
    }

    @Test
    public void rule10_virtualClockJumpsStraightToTheNextDeadline() {
        Scheduler s = virtual();
        long[] times = new long[3];
        runChecked(s, () -> {
            times[0] = Coro.now();
            Coro.sleep(Duration.ofHours(1));
            times[1] = Coro.now();
            Coro.sleep(Duration.ofNanos(7));
            times[2] = Coro.now();
            return null;
        });
        assertEquals(0, times[0]);
        assertEquals(3_600_000_000_000L, times[1]);
        assertEquals(3_600_000_000_007L, times[2]);
    }

    @Test
    public void rule10_virtualClockStaysStillWhileAnythingIsRunnable() {
        runVirtual(() -> {
            Coro<?> a = Coro.spawn("A", () -> {
                for (int i = 0; i < 3; i++) {
                    Coro.yieldSlice();
                    logAt("A" + i);
                }
            });
            Coro.sleep(ms(1));
            logAt("main");
            a.join();
            return null;
        });
        assertEquals(List.of("A0@0", "A1@0", "A2@0", "main@1"), trace);
    }

    @Test
    public void rule10_virtualTimeDeadlockIsReportedInsteadOfHanging() {
        Scheduler s = virtual();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> s.run(() -> {
            Coro<?>[] b = new Coro<?>[1];
            Coro<?> a = Coro.spawn("A", () -> b[0].join());
            b[0] = Coro.spawn("B", () -> a.join());
            a.join();
            return null;
        }));
        assertTrue(e.getMessage().contains("virtual-time deadlock"), e.getMessage());
        assertTrue(e.getMessage().contains("'A'") && e.getMessage().contains("'B'"), e.getMessage());
    }

    @Test
    public void rule6_anInterruptedSleepLeavesNoTimerInTheHeap() {
        Scheduler s = virtual();
        runChecked(s, () -> {
            Coro<?> sleeper = Coro.spawn("sleeper", () -> Coro.sleep(Duration.ofDays(1)));
            Coro.yieldSlice();
            assertEquals(1, timers(s));
            sleeper.interrupt("wake");
            Coro.yieldSlice();
            assertTrue(sleeper.isDone());
            assertEquals(0, timers(s), "the interrupted sleep left its timer in the heap");
            return null;
        });
    }
}
