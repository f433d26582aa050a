package dev.coro.poll.kqueue;

import dev.coro.tck.net.FamiliesVerification;
import org.junit.jupiter.api.BeforeEach;

/**
 * The kit's {@link FamiliesVerification} (coro-tck) over poller {@code kqueue} (the shim on Linux),
 * on every switch backend.
 */
class FamiliesTest extends FamiliesVerification {
    @BeforeEach
    void requireKqueue() {
        KqueueShim.require();
    }

    @Override
    protected String pollerName() {
        return KqueuePollerProvider.NAME;
    }
}
