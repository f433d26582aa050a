package dev.coro.spi;

import java.nio.channels.SelectableChannel;
import java.util.Objects;

/** The argument checks and names every {@link Poller} implementation shares. */
public final class PollerArguments {
    private PollerArguments() {
    }

    /**
     * What {@link Poller#register(SelectableChannel, int, Object)} requires of any poller: a channel,
     * and ops {@link Poller#READ}, {@link Poller#WRITE} or both.
     */
    public static void check(SelectableChannel channel, int ops) {
        Objects.requireNonNull(channel, "channel");
        if (ops == 0 || (ops & ~(Poller.READ | Poller.WRITE)) != 0) {
            throw new IllegalArgumentException("interest ops must be READ, WRITE or both, got " + ops);
        }
    }

    /** "READ", "WRITE" or "READ|WRITE", for messages. */
    public static String opsName(int ops) {
        return ops == Poller.READ ? "READ" : ops == Poller.WRITE ? "WRITE" : "READ|WRITE";
    }
}
