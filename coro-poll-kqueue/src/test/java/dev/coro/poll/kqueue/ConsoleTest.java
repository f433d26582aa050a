package dev.coro.poll.kqueue;

import dev.coro.tck.net.ConsoleVerification;
import org.junit.jupiter.api.BeforeEach;

/**
 * The kit's {@link ConsoleVerification} (coro-tck) over poller {@code kqueue} (the shim on Linux),
 * on every switch backend.
 */
class ConsoleTest extends ConsoleVerification {
    @BeforeEach
    void requireKqueue() {
        KqueueShim.require();
    }

    @Override
    protected String pollerName() {
        return KqueuePollerProvider.NAME;
    }
}
