package dev.coro.spi;

import java.io.IOException;
import java.nio.channels.SelectableChannel;

/** The default {@link Poller.Interest}: one {@link Poller.Registration} per arming. */
final class RegistrationInterest implements Poller.Interest {
    private final Poller poller;
    private final SelectableChannel channel;
    private Poller.Registration current;

    RegistrationInterest(Poller poller, SelectableChannel channel) {
        this.poller = poller;
        this.channel = channel;
    }

    @Override
    public void register(int ops, Object attachment) throws IOException {
        if (current != null) {
            throw new IllegalStateException("interest in " + channel + " is armed already: cancel it first");
        }
        current = poller.register(channel, ops, attachment);
    }

    @Override
    public void cancel() {
        if (current != null) {
            current.cancel();
            current = null;
        }
    }
}
