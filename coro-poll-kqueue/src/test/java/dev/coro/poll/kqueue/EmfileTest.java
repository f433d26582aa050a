package dev.coro.poll.kqueue;

import dev.coro.tck.net.EmfileVerification;
import org.junit.jupiter.api.BeforeEach;

/**
 * The kit's {@link EmfileVerification} (coro-tck) over poller {@code kqueue} (the shim on Linux),
 * on every switch backend.
 */
class EmfileTest extends EmfileVerification {
    @BeforeEach
    void requireKqueue() {
        KqueueShim.require();
    }

    @Override
    protected String pollerName() {
        return KqueuePollerProvider.NAME;
    }
}
