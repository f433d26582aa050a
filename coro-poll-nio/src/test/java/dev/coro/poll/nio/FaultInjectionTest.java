package dev.coro.poll.nio;

import dev.coro.tck.net.FaultInjectionVerification;

/**
 * The kit's {@link FaultInjectionVerification} (coro-tck) over poller {@code nio}, on every switch
 * backend (poller {@code faults} is registered in this module's test resources).
 */
class FaultInjectionTest extends FaultInjectionVerification {
    @Override
    protected String pollerName() {
        return "nio";
    }
}
