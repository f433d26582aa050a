package dev.coro.poll.nio;

import dev.coro.spi.Poller;
import dev.coro.tck.poll.PollerVerification;

import java.io.IOException;

/** The compatibility kit's poller rules (SPEC.md §4, SPEC.md#poller) against {@code nio}. */
class NioPollerVerificationTest extends PollerVerification {
    @Override
    protected Poller openPoller() throws IOException {
        return new NioPollerProvider().open();
    }
}
