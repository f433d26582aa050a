package dev.coro.poll.kqueue;

import dev.coro.tck.net.SocketReaderVerification;
import org.junit.jupiter.api.BeforeEach;

/**
 * The kit's {@link SocketReaderVerification} (coro-tck) over poller {@code kqueue} (the shim on Linux),
 * on every switch backend.
 */
class SocketReaderTest extends SocketReaderVerification {
    @BeforeEach
    void requireKqueue() {
        KqueueShim.require();
    }

    @Override
    protected String pollerName() {
        return KqueuePollerProvider.NAME;
    }
}
