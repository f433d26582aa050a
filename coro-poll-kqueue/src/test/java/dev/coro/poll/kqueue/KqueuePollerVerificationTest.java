package dev.coro.poll.kqueue;

import dev.coro.spi.Poller;
import dev.coro.tck.poll.PollerVerification;

import java.io.IOException;

/** The compatibility kit's poller properties (SPEC.md §4) against {@code kqueue}. */
class KqueuePollerVerificationTest extends PollerVerification {
    @Override
    protected Poller openPoller() throws IOException {
        KqueueShim.require(); // here, not in a JUnit callback: jqwik's properties do not run those
        return new KqueuePollerProvider().open();
    }
}
