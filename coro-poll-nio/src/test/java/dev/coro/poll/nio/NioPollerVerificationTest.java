package dev.coro.poll.nio;

import dev.coro.spi.Poller;
import dev.coro.tck.poll.PollerVerification;

import java.io.IOException;

/** The compatibility kit's poller properties (DESIGN.md §4) against {@code nio}. */
class NioPollerVerificationTest extends PollerVerification {
    @Override
    protected Poller openPoller() throws IOException {
        return new NioPollerProvider().open();
    }
}
