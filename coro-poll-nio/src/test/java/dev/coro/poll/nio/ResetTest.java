package dev.coro.poll.nio;

import dev.coro.tck.net.ResetVerification;

/** The kit's {@link ResetVerification} (coro-tck) over poller {@code nio}, on every switch backend. */
class ResetTest extends ResetVerification {
    @Override
    protected String pollerName() {
        return "nio";
    }
}
