package dev.coro.scheduler;

import dev.coro.Coro;
import dev.coro.Scheduler;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SPEC.md §1: without a poller module on the class path (as here) the scheduler parks between
 * deadlines. Lives here because coro-scheduler's tests are the one class path with no poller.
 */
class NoPollerTest {

    @Test
    void withoutAPollerModuleTheSchedulerParks() {
        Scheduler s = Scheduler.builder().switcher("handoff").build();
        assertEquals("none", s.pollerName());
        long slept = s.run(() -> {
            long before = Coro.now();
            Coro.sleep(Duration.ofMillis(1));
            return Coro.now() - before;
        });
        assertTrue(slept >= 1_000_000L, "a real-time sleep of 1 ms woke after " + slept + " ns");
    }
}
