package dev.coro.spi;

import java.io.IOException;
import java.nio.channels.SelectableChannel;
import java.util.Objects;

/**
 * The one-waiter-at-a-time rule of {@link Poller.Interest}, for pollers to extend: arming again
 * before the cancel is an {@link IllegalStateException}, and {@link #cancel} always calls
 * {@link #disarm}, which must be idempotent (the waiter cancels after a report too).
 */
public abstract class ReusableInterest implements Poller.Interest {
    protected final SelectableChannel channel;
    private boolean armed;

    protected ReusableInterest(SelectableChannel channel) {
        this.channel = Objects.requireNonNull(channel, "channel");
    }

    @Override
    public final void register(int ops, Object attachment) throws IOException {
        if (armed) {
            throw new IllegalStateException("interest in " + channel + " is armed already: cancel it first");
        }
        arm(ops, attachment);
        armed = true;
    }

    @Override
    public final void cancel() {
        armed = false;
        disarm();
    }

    /** Registers one-shot interest in {@code ops} with {@code attachment}. */
    protected abstract void arm(int ops, Object attachment) throws IOException;

    /** Ends the current arming, if it is still live; nothing of it is reported afterwards. */
    protected abstract void disarm();
}
