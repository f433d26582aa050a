package dev.coro.poll.kqueue;

import dev.coro.tck.net.FaultsVerification;
import org.junit.jupiter.api.BeforeEach;

/**
 * The kit's {@link FaultsVerification} (coro-tck) over poller {@code kqueue} (the shim on Linux),
 * on every switch backend.
 */
class FaultsTest extends FaultsVerification {
    @BeforeEach
    void requireKqueue() {
        KqueueShim.require();
    }

    @Override
    protected String pollerName() {
        return KqueuePollerProvider.NAME;
    }
}
