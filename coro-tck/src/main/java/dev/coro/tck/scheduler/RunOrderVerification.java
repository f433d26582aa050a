package dev.coro.tck.scheduler;

import dev.coro.Coro;
import dev.coro.Scheduler;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SPEC.md §3 rules 1–3: spawn order, staging/pending passes, yieldSlice, the batch cap.
 * Example-based: a backend's test class extends this and returns its builder from
 * {@link #schedulerBuilder()}; each test is named after the rule it checks, and a failure names it.
 *
 * <p>Rules checked ({@link dev.coro.tck.Rule}): {@code rule1} (SPEC.md#rule-1), {@code rule2} (SPEC.md#rule-2), {@code rule3} (SPEC.md#rule-3).
 */
public abstract class RunOrderVerification extends SchedulerVerificationBase {

    @Test
    public void rule1_spawnAppendsToPendingAndTheCallerKeepsRunning() {
        runVirtual(() -> {
            Coro<?> a = Coro.spawn("A", () -> log("A"));
            Coro<?> b = Coro.spawn("B", () -> log("B"));
            Coro<?> c = Coro.spawn("C", () -> log("C"));
            log("main after spawns");
            a.join();
            b.join();
            c.join();
            return null;
        });
        assertEquals(List.of("main after spawns", "A", "B", "C"), trace);
    }

    @Test
    public void rule2_coroScheduledDuringABatchRunsAfterThatBatch() {
        runVirtual(() -> {
            Coro<?> a = Coro.spawn("A", () -> {
                log("A");
                Coro.spawn("A1", () -> log("A1"));
            });
            Coro<?> b = Coro.spawn("B", () -> log("B"));
            a.join();
            b.join();
            Coro.yieldSlice(); // let A1 finish
            return null;
        });
        assertEquals(List.of("A", "B", "A1"), trace);
    }

    @Test
    public void rule2_wakeOrderIsScheduleOrder() {
        runVirtual(() -> {
            Coro<?> target = Coro.spawn("T", () -> Coro.sleep(ms(5)));
            Coro<?> j1 = Coro.spawn("J1", () -> {
                target.join();
                log("J1");
            });
            Coro<?> j2 = Coro.spawn("J2", () -> {
                target.join();
                log("J2");
            });
            j2.join();
            j1.join();
            return null;
        });
        assertEquals(List.of("J1", "J2"), trace);
    }

    @Test
    public void rule2_unscheduledCoroIsSkippedInItsBatch() {
        runVirtual(() -> {
            // B is in the same batch as A; A interrupts B before B's turn, which moves B behind C.
            Coro<?>[] b = new Coro<?>[1];
            Coro.spawn("A", () -> {
                log("A");
                b[0].shutdown();
            });
            b[0] = Coro.spawn("B", () -> log("B ran"));
            Coro<?> c = Coro.spawn("C", () -> log("C"));
            c.join();
            assertTrue(b[0].isDone(), "B was cancelled before it started");
            return null;
        });
        assertEquals(List.of("A", "C"), trace);
    }

    @Test
    public void rule3_yieldSliceRunsAgainOnlyAfterTheTimerAndIoPhase() {
        Scheduler s = virtual();
        runChecked(s, () -> {
            Coro<?> a = Coro.spawn("A", () -> {
                log("A1");
                long passes = s.stats().passes();
                Coro.yieldSlice();
                log("A2");
                assertTrue(s.stats().timersFired() >= 1, "yieldSlice went through the timer heap");
                assertTrue(s.stats().passes() > passes, "a new pass ran");
            });
            Coro<?> b = Coro.spawn("B", () -> {
                log("B1");
                Coro.spawn("B-child", () -> log("B-child"));
            });
            a.join();
            b.join();
            return null;
        });
        // B-child was scheduled in the same run phase, so it runs before the yielder comes back.
        assertEquals(List.of("A1", "B1", "B-child", "A2"), trace);
    }

    @Test
    public void rule3_aYieldingLoopCannotStarveTimers() {
        // Real time: a sleeper must get its turn while another coro spins on yieldSlice.
        AtomicBoolean woke = new AtomicBoolean();
        AtomicLong yields = new AtomicLong();
        Scheduler s = builder().build();
        runChecked(s, () -> {
            Coro.spawn("sleeper", () -> {
                Coro.sleep(ms(1));
                woke.set(true);
            });
            long giveUp = System.nanoTime() + 30_000_000_000L;
            while (!woke.get() && System.nanoTime() < giveUp) {
                Coro.yieldSlice();
                yields.incrementAndGet();
            }
            return null;
        });
        assertTrue(woke.get(), "the sleeper never ran while main yielded " + yields + " times");
    }

    @Test
    public void rule3_batchCapLetsTimersRunBetweenCorosThatWakeEachOtherForEver() {
        // Two coros keep scheduling each other (each spawns the next hop), so pending never empties;
        // the cap must still let a zero-length sleep wake up.
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger hops = new AtomicInteger();
        Scheduler s = builder().virtualTime().maxBatchesPerPhase(4).build();
        runChecked(s, () -> {
            Runnable[] hop = new Runnable[1];
            hop[0] = () -> {
                if (!stop.get() && hops.incrementAndGet() < 1_000_000) {
                    Coro.spawn(hop[0]);
                }
            };
            Coro.spawn(hop[0]);
            Coro.sleep(ms(0));
            stop.set(true);
            return null;
        });
        assertTrue(hops.get() < 100, "the sleeper waited for " + hops.get() + " hops; the batch cap is 4");
    }
}
