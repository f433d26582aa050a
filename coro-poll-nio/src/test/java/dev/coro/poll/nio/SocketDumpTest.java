package dev.coro.poll.nio;

import dev.coro.tck.net.SocketDumpVerification;

/** The kit's {@link SocketDumpVerification} (coro-tck) over poller {@code nio}, on every switch backend. */
class SocketDumpTest extends SocketDumpVerification {
    @Override
    protected String pollerName() {
        return "nio";
    }
}
