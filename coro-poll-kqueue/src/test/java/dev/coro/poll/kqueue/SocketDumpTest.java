package dev.coro.poll.kqueue;

import dev.coro.tck.net.SocketDumpVerification;
import org.junit.jupiter.api.BeforeEach;

/**
 * The kit's {@link SocketDumpVerification} (coro-tck) over poller {@code kqueue} (the shim on
 * Linux), on every switch backend.
 */
class SocketDumpTest extends SocketDumpVerification {
    @BeforeEach
    void requireKqueue() {
        KqueueShim.require();
    }

    @Override
    protected String pollerName() {
        return KqueuePollerProvider.NAME;
    }
}
