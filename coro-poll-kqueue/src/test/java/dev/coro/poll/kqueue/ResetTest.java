package dev.coro.poll.kqueue;

import dev.coro.tck.net.ResetVerification;
import org.junit.jupiter.api.BeforeEach;

/**
 * The kit's {@link ResetVerification} (coro-tck) over poller {@code kqueue} (the shim on Linux),
 * on every switch backend.
 */
class ResetTest extends ResetVerification {
    @BeforeEach
    void requireKqueue() {
        KqueueShim.require();
    }

    @Override
    protected String pollerName() {
        return KqueuePollerProvider.NAME;
    }
}
