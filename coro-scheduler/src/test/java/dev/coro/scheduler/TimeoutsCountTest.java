package dev.coro.scheduler;

import dev.coro.Coro;
import dev.coro.Scheduler;
import dev.coro.spi.CoroEngine;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * White-box: {@link Timeouts#dueLater} (the count that lets a run phase skip its closing clock read)
 * and the yield list. The loop may skip a reading only while no timer is due later than the
 * iteration's reading, so the count must follow every arm, defuse and firing; yields are due at the
 * next timer phase, so they never count, and they are timers all the same for {@link Timeouts#size}.
 */
class TimeoutsCountTest {

    @Test
    void dueLaterCountsTheTimersAFreshReadingCouldFire() {
        Scheduler s = Scheduler.builder().switcher("handoff").virtualTime().build();
        s.run(() -> {
            Timeouts t = ((LoopEngine) CoroEngine.bound()).loop.timeouts;
            assertEquals(0, t.dueLater, "no timer");
            Coro<?> sleeper = Coro.spawn(() -> Coro.sleep(Duration.ofMillis(10)));
            Coro.yieldSlice(); // the sleeper runs and sleeps
            assertEquals(1, t.dueLater, "a sleep of 10 ms");
            Coro.withTimeout(Duration.ofMillis(5), () -> {
                assertEquals(2, t.dueLater, "the sleep and this timebomb");
                Coro.yieldSlice();
                assertEquals(2, t.dueLater, "a yield is due at the next timer phase: not counted");
            });
            assertEquals(1, t.dueLater, "the timebomb, defused");
            Coro<?> yielder = Coro.spawn(() -> {
                try {
                    Coro.yieldSlice();
                } catch (dev.coro.CoroInterruptedException e) {
                    Coro.yieldSlice(); // listed again: the first entry is stale
                }
            });
            // Spawned after the yielder, the observer runs in the same batch, after it has yielded.
            Coro<?> observer = Coro.spawn(() -> {
                assertEquals(2, t.size(), "the sleep and the listed yield");
                yielder.interrupt("leave");
            });
            observer.join();
            yielder.join();
            assertEquals(1, t.size(), "the yields were taken; the interrupted one once");
            assertEquals(1, t.dueLater);
            sleeper.join(); // the clock moves 10 ms
            assertEquals(0, t.dueLater, "the sleep fired");
            assertEquals(0, t.size());
            return null;
        });
    }

    @Test
    void theYieldListGivesBackWhatABurstOfYieldsGrew() {
        Scheduler s = Scheduler.builder().switcher("handoff").virtualTime().build();
        s.run(() -> {
            Timeouts t = ((LoopEngine) CoroEngine.bound()).loop.timeouts;
            int initial = t.yieldCapacity();
            int grown = burstOfYields(t, 1_000);
            for (int i = 0; i < 20; i++) {
                Coro.yieldSlice(); // phases of one yield each
            }
            assertEquals(initial, t.yieldCapacity(), "after the burst, the yield list still holds arrays of " + grown);
            return null;
        });
    }

    @Test
    void theYieldListShrinksInPhasesWithNoTimerAtAll() {
        // One batch a phase: a hand-off between two coros is an iteration whose timer phase has nothing to do.
        Scheduler s = Scheduler.builder().switcher("handoff").virtualTime().maxBatchesPerPhase(1).build();
        s.run(() -> {
            Timeouts t = ((LoopEngine) CoroEngine.bound()).loop.timeouts;
            int initial = t.yieldCapacity();
            burstOfYields(t, 1_000);
            dev.coro.sync.CondVar ping = new dev.coro.sync.CondVar();
            dev.coro.sync.CondVar pong = new dev.coro.sync.CondVar();
            Coro<?> other = Coro.spawn(() -> {
                for (int i = 0; i < 20; i++) {
                    pong.await();
                    ping.wakeOne();
                }
            });
            Coro.yieldSlice(); // let it wait first
            for (int i = 0; i < 20; i++) {
                pong.wakeOne();
                ping.await();
            }
            other.join();
            assertEquals(initial, t.yieldCapacity(), "phases with no timer left the yield list's burst arrays in place");
            return null;
        });
    }

    /**
     * Spawns {@code n} coros that all yield in one run phase and joins them; returns the largest
     * capacity the yield list had as it filled (phases after the burst may already shrink it).
     */
    private static int burstOfYields(Timeouts t, int n) {
        int[] grown = {0};
        java.util.List<Coro<?>> burst = new java.util.ArrayList<>();
        for (int i = 0; i < n; i++) {
            burst.add(Coro.spawn(() -> {
                grown[0] = Math.max(grown[0], t.yieldCapacity());
                Coro.yieldSlice();
            }));
        }
        for (Coro<?> c : burst) {
            c.join();
        }
        assertTrue(grown[0] >= n - 1, n + " yields of one phase were listed: capacity " + grown[0]);
        return grown[0];
    }

    @Test
    void yieldsAndEqualDeadlinesWakeInCallOrder() {
        Scheduler s = Scheduler.builder().switcher("handoff").virtualTime().build();
        StringBuilder order = new StringBuilder();
        s.run(() -> {
            // Virtual time: a sleep(0) is due at the same reading as a yield; rule 4 wakes them in call order.
            Coro<?> a = Coro.spawn(() -> { Coro.sleep(Duration.ZERO); order.append('a'); });
            Coro<?> b = Coro.spawn(() -> { Coro.yieldSlice(); order.append('b'); });
            Coro<?> c = Coro.spawn(() -> { Coro.sleep(Duration.ZERO); order.append('c'); });
            Coro<?> d = Coro.spawn(() -> { Coro.yieldSlice(); order.append('d'); });
            a.join();
            b.join();
            c.join();
            d.join();
            return null;
        });
        assertEquals("abcd", order.toString());
    }
}
