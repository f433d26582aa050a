package dev.coro.poll.kqueue;

import dev.coro.Scheduler;
import dev.coro.tck.os.OsEventsVerification;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;

/**
 * The kit's waits beyond sockets (SPEC.md#os-events) on {@code kqueue}, which waits for them itself
 * ({@code EVFILT_SIGNAL}, {@code EVFILT_PROC}, {@code EVFILT_VNODE}; on Linux through the shim), on
 * both switches.
 */
class KqueueOsEventsTest {
    @BeforeAll
    static void shim() {
        KqueueShim.require();
    }

    @Nested
    class OnNative extends OsEventsVerification {
        @Override
        protected Scheduler.Builder schedulerBuilder() {
            return Scheduler.builder().poller("kqueue").switcher("native");
        }
    }

    @Nested
    class OnLoom extends OsEventsVerification {
        @Override
        protected Scheduler.Builder schedulerBuilder() {
            return Scheduler.builder().poller("kqueue").switcher("loom");
        }
    }
}
