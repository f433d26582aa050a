package dev.coro.spi;

import java.io.IOException;
import java.nio.channels.SelectableChannel;

/** The default {@link Poller.Interest}: one {@link Poller.Registration} per arming. */
final class RegistrationInterest extends ReusableInterest {
    private final Poller poller;
    private Poller.Registration current;

    RegistrationInterest(Poller poller, SelectableChannel channel) {
        super(channel);
        this.poller = poller;
    }

    @Override
    protected void arm(int ops, Object attachment) throws IOException {
        current = poller.register(channel, ops, attachment);
    }

    @Override
    protected void disarm() {
        if (current != null) {
            current.cancel();
            current = null;
        }
    }
}
