package dev.coro.poll.nio;

import dev.coro.tck.net.FaultsVerification;

/** The kit's {@link FaultsVerification} (coro-tck) over poller {@code nio}, on every switch backend. */
class FaultsTest extends FaultsVerification {
    @Override
    protected String pollerName() {
        return "nio";
    }
}
