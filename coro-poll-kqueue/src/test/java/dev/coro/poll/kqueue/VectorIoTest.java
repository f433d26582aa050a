package dev.coro.poll.kqueue;

import dev.coro.tck.net.VectorIoVerification;
import org.junit.jupiter.api.BeforeEach;

/**
 * The kit's {@link VectorIoVerification} (coro-tck) over poller {@code kqueue} (the shim on Linux),
 * on every switch backend.
 */
class VectorIoTest extends VectorIoVerification {
    @BeforeEach
    void requireKqueue() {
        KqueueShim.require();
    }

    @Override
    protected String pollerName() {
        return KqueuePollerProvider.NAME;
    }
}
