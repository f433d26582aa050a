package dev.coro.poll.nio;

import dev.coro.tck.net.SocketReaderVerification;

/** The kit's {@link SocketReaderVerification} (coro-tck) over poller {@code nio}, on every switch backend. */
class SocketReaderTest extends SocketReaderVerification {
    @Override
    protected String pollerName() {
        return "nio";
    }
}
