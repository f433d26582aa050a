package dev.coro.poll.nio;

import dev.coro.Scheduler;
import dev.coro.tck.os.OsEventsVerification;
import org.junit.jupiter.api.Nested;

/** The kit's waits beyond sockets (SPEC.md#os-events) on {@code nio}, where the JDK serves them, on both switches. */
class NioOsEventsTest {
    @Nested
    class OnNative extends OsEventsVerification {
        @Override
        protected Scheduler.Builder schedulerBuilder() {
            return Scheduler.builder().poller("nio").switcher("native");
        }
    }

    @Nested
    class OnLoom extends OsEventsVerification {
        @Override
        protected Scheduler.Builder schedulerBuilder() {
            return Scheduler.builder().poller("nio").switcher("loom");
        }
    }
}
