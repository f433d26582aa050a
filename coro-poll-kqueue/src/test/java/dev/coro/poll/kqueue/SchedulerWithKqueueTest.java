package dev.coro.poll.kqueue;

import dev.coro.tck.net.SchedulerWithPollerVerification;
import org.junit.jupiter.api.BeforeEach;

/**
 * The kit's {@link SchedulerWithPollerVerification} (coro-tck) over poller {@code kqueue} (the shim on Linux),
 * on every switch backend.
 */
class SchedulerWithKqueueTest extends SchedulerWithPollerVerification {
    @BeforeEach
    void requireKqueue() {
        KqueueShim.require();
    }

    @Override
    protected String pollerName() {
        return KqueuePollerProvider.NAME;
    }
}
