package dev.coro.poll.nio;

import dev.coro.tck.net.VectorIoVerification;

/** The kit's {@link VectorIoVerification} (coro-tck) over poller {@code nio}, on every switch backend. */
class VectorIoTest extends VectorIoVerification {
    @Override
    protected String pollerName() {
        return "nio";
    }
}
