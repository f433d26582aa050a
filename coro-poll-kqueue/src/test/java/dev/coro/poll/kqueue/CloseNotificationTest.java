package dev.coro.poll.kqueue;

import dev.coro.tck.net.CloseNotificationVerification;
import org.junit.jupiter.api.BeforeEach;

/**
 * The kit's {@link CloseNotificationVerification} (coro-tck) over poller {@code kqueue} (the shim on Linux),
 * on every switch backend.
 */
class CloseNotificationTest extends CloseNotificationVerification {
    @BeforeEach
    void requireKqueue() {
        KqueueShim.require();
    }

    @Override
    protected String pollerName() {
        return KqueuePollerProvider.NAME;
    }
}
