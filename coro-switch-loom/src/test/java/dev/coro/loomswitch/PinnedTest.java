package dev.coro.loomswitch;

import static dev.coro.spi.ResumeOutcome.DONE;
import static dev.coro.spi.ResumeOutcome.SUSPENDED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coro.CoroPinnedException;
import dev.coro.spi.Coroutine;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PinnedTest {

    /** The harness the static initializer below suspends through (class init runs once per JVM). */
    static volatile Harness pinnedHarness;

    static final class SuspendsInItsInitializer {
        static final CoroPinnedException CAUGHT;

        static {
            CoroPinnedException caught = null;
            try {
                pinnedHarness.suspend();
            } catch (CoroPinnedException e) {
                caught = e;
            }
            CAUGHT = caught;
        }

        private SuspendsInItsInitializer() {
        }
    }

    @Test
    void suspendInAClassInitializerThrowsInsteadOfHanging() {
        // Preemptive: if the scheduler thread hung, the test fails after the bound instead of hanging.
        assertTimeoutPreemptively(Duration.ofSeconds(Harness.WAIT_SECONDS), () -> {
            try (Harness h = new Harness()) {
                pinnedHarness = h;
                List<String> log = new ArrayList<>();
                Coroutine c = h.spawn("pinned-coro", () -> {
                    log.add("before");
                    CoroPinnedException e = SuspendsInItsInitializer.CAUGHT; // triggers the initializer
                    log.add(e == null ? "no exception" : "caught");
                    h.suspend(); // outside the initializer it suspends as usual
                    log.add("after");
                });
                assertEquals(SUSPENDED, h.resume(c), "the first real suspend comes after the pinned one");
                assertEquals(List.of("before", "caught"), log);
                CoroPinnedException e = SuspendsInItsInitializer.CAUGHT;
                assertNotNull(e);
                assertTrue(e.getMessage().contains("pinned-coro"), e.getMessage());
                assertTrue(e.getMessage().contains("native frame (JNI or class initializer)"), e.getMessage());
                assertEquals(DONE, h.resume(c));
                assertEquals(List.of("before", "caught", "after"), log);
            } finally {
                pinnedHarness = null;
            }
        });
    }
}
