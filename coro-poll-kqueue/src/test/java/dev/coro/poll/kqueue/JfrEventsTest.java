package dev.coro.poll.kqueue;

import dev.coro.tck.net.JfrEventsVerification;
import org.junit.jupiter.api.BeforeEach;

/**
 * The kit's {@link JfrEventsVerification} (coro-tck) over poller {@code kqueue} (the shim on
 * Linux), on every switch backend.
 */
class JfrEventsTest extends JfrEventsVerification {
    @BeforeEach
    void requireKqueue() {
        KqueueShim.require();
    }

    @Override
    protected String pollerName() {
        return KqueuePollerProvider.NAME;
    }
}
