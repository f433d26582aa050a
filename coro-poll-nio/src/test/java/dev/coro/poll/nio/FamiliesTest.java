package dev.coro.poll.nio;

import dev.coro.tck.net.FamiliesVerification;

/** The kit's {@link FamiliesVerification} (coro-tck) over poller {@code nio}, on every switch backend. */
class FamiliesTest extends FamiliesVerification {
    @Override
    protected String pollerName() {
        return "nio";
    }
}
