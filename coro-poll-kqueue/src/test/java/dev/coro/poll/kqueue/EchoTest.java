package dev.coro.poll.kqueue;

import dev.coro.tck.net.EchoVerification;
import org.junit.jupiter.api.BeforeEach;

/**
 * The kit's {@link EchoVerification} (coro-tck) over poller {@code kqueue} (the shim on Linux),
 * on every switch backend.
 */
class EchoTest extends EchoVerification {
    @BeforeEach
    void requireKqueue() {
        KqueueShim.require();
    }

    @Override
    protected String pollerName() {
        return KqueuePollerProvider.NAME;
    }
}
