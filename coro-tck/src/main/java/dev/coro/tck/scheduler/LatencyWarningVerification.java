package dev.coro.tck.scheduler;

import dev.coro.Coro;
import dev.coro.Scheduler;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

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
        Logger logger = Logger.getLogger("dev.coro.scheduler");
        List<String> warnings = new CopyOnWriteArrayList<>();
        Handler h = new Handler() {
            @Override
            public void publish(LogRecord r) {
                if (r.getMessage() != null && r.getMessage().startsWith("high latency")) {
                    warnings.add(r.getMessage());
                    reported = true;
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        reported = false;
        logger.addHandler(h);
        try {
            Scheduler s = builder().latencyWarning(Duration.ofMillis(50)).build();
            s.run(() -> {
                Coro.spawn("hog", LatencyWarningVerification::spinUntilReported).join();
                return null;
            });
        } finally {
            logger.removeHandler(h);
        }
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
