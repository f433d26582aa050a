package dev.coro.poll.nio;

import dev.coro.tck.net.EmfileVerification;

/** The kit's {@link EmfileVerification} (coro-tck) over poller {@code nio}, on every switch backend. */
class EmfileTest extends EmfileVerification {
    @Override
    protected String pollerName() {
        return "nio";
    }
}
