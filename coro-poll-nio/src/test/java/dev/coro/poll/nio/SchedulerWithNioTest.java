package dev.coro.poll.nio;

import dev.coro.Scheduler;
import dev.coro.tck.net.SchedulerWithPollerVerification;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The kit's {@link SchedulerWithPollerVerification} over {@code nio}; and nio is found by ServiceLoader. */
class SchedulerWithNioTest extends SchedulerWithPollerVerification {
    @Override
    protected String pollerName() {
        return "nio";
    }

    /** nio-specific: on this class path (no kqueue) the scheduler picks nio by itself. */
    @Test
    void api_nioIsChosenAutomaticallyFromTheClassPath() {
        try (Scheduler s = Scheduler.builder().switcher(switcher).build()) {
            assertEquals("nio", s.pollerName());
        }
    }
}
