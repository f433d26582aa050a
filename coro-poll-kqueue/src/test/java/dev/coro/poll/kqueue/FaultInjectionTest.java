package dev.coro.poll.kqueue;

import dev.coro.tck.net.FaultInjectionVerification;
import org.junit.jupiter.api.BeforeEach;

/**
 * The kit's {@link FaultInjectionVerification} (coro-tck) over poller {@code kqueue} (the shim on
 * Linux), on every switch backend (poller {@code faults} is registered in this module's test resources).
 */
class FaultInjectionTest extends FaultInjectionVerification {
    @BeforeEach
    void requireKqueue() {
        KqueueShim.require();
    }

    @Override
    protected String pollerName() {
        return KqueuePollerProvider.NAME;
    }
}
