package dev.coro.poll.nio;

import dev.coro.tck.net.ConsoleVerification;

/** The kit's {@link ConsoleVerification} (coro-tck) over poller {@code nio}, on every switch backend. */
class ConsoleTest extends ConsoleVerification {
    @Override
    protected String pollerName() {
        return "nio";
    }
}
