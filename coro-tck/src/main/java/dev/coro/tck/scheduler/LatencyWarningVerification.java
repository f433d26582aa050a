package dev.coro.tck.scheduler;

import dev.coro.Coro;
import dev.coro.Scheduler;
import dev.coro.tck.LogCapture;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SPEC.md §3 rule 9: a coro that runs past the threshold without switching is reported with its stack.
 * Example-based: a backend's test class extends this and returns its builder from
 * {@link #schedulerBuilder()}; each test is named after the rule it checks, and a failure names it.
 *
 * <p>Rules checked ({@link dev.coro.tck.Rule}): {@code rule9} (SPEC.md#rule-9).
 */
public abstract class LatencyWarningVerification extends SchedulerVerificationBase {

    @Test
    public void rule9_aCoroThatHogsTheSchedulerIsReportedWithNameAndStack() {
        List<String> warnings = new CopyOnWriteArrayList<>();
        reported = false;
        LogCapture.during("dev.coro.scheduler", r -> {
            if (r.getMessage() != null && r.getMessage().startsWith("high latency")) {
                warnings.add(r.getMessage());
                reported = true;
            }
        }, () -> {
            Scheduler s = builder().latencyWarning(Duration.ofMillis(50)).build();
            s.run(() -> {
                Coro.spawn("hog", LatencyWarningVerification::spinUntilReported).join();
                return null;
            });
        });
        assertTrue(!warnings.isEmpty(), "no latency warning was logged");
        String w = warnings.get(0);
        assertTrue(w.contains("'hog'"), w);
        assertTrue(w.contains("spinUntilReported"), "the report should carry the running stack:\n" + w);
    }

    static volatile boolean reported;

    /** Runs without switching until the watchdog has spoken (bounded, so a broken watchdog fails, not hangs). */
    private static void spinUntilReported() {
        long giveUp = System.nanoTime() + 30_000_000_000L;
        while (!reported && System.nanoTime() < giveUp) {
            Thread.onSpinWait();
        }
    }
}
