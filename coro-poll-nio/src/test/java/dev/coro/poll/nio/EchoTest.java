package dev.coro.poll.nio;

import dev.coro.tck.net.EchoVerification;

/** The kit's {@link EchoVerification} (coro-tck) over poller {@code nio}, on every switch backend. */
class EchoTest extends EchoVerification {
    @Override
    protected String pollerName() {
        return "nio";
    }
}
