package dev.coro.poll.nio;

import dev.coro.tck.net.JfrEventsVerification;

/** The kit's {@link JfrEventsVerification} (coro-tck) over poller {@code nio}, on every switch backend. */
class JfrEventsTest extends JfrEventsVerification {
    @Override
    protected String pollerName() {
        return "nio";
    }
}
