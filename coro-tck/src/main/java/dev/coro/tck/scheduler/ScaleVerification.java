package dev.coro.tck.scheduler;

import dev.coro.Coro;
import dev.coro.Scheduler;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * SPEC.md §4 (SPEC.md#switch-backend) under the scheduler, at scale: 100,000 coros spawned, all
 * alive and suspended together, all joined; fewer if the switch backend declares a lower
 * {@code SwitchProvider.maxLiveCoroutines()} (main counts as one). Rules: {@code switch}.
 * Example-based: a backend's test class extends this and returns its builder from
 * {@link #schedulerBuilder()}; each test is named after the rule it checks, and a failure names it.
 *
 * <p>Rules checked ({@link dev.coro.tck.Rule}): {@code switch} (SPEC.md#switch-backend).
 */
public abstract class ScaleVerification extends SchedulerVerificationBase {

    @Test
    public void switch_hundredThousandCorosSpawnedSuspendedTogetherAndJoined() {
        int n = Math.min(100_000, maxLiveCoroutines() - 1);
        Scheduler s = virtual();
        long sum = runChecked(s, () -> {
            List<Coro<Integer>> coros = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                int v = i;
                coros.add(Coro.spawn(() -> {
                    Coro.sleep(ms(1)); // every one is suspended at the same time
                    return v;
                }));
            }
            Coro.yieldSlice();
            assertEquals(n + 1, s.stats().liveCoros());
            long total = 0;
            for (Coro<Integer> c : coros) {
                total += c.join();
            }
            assertEquals(1, s.stats().liveCoros());
            assertEquals(0, s.stats().timerHeapSize());
            return total;
        });
        assertEquals((long) n * (n - 1) / 2, sum);
    }
}
