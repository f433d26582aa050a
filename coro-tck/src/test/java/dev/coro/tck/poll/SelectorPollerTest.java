package dev.coro.tck.poll;

import dev.coro.spi.Poller;

import java.io.IOException;

/** The poller kit against the kit's own simple Selector poller: it must pass (the control of BrokenPollers). */
class SelectorPollerTest extends PollerVerification {
    @Override
    protected Poller openPoller() throws IOException {
        return new SelectorPoller();
    }
}
