package dev.coro.poll.nio;

import dev.coro.spi.Poller;
import dev.coro.spi.PollerProvider;

import java.util.Optional;

/**
 * Poller {@code nio-counted}: the nio poller, kept where a test can read its counters. Lowest
 * priority, so it is used only when a test asks for it by name. Tests run one at a time, so one
 * "last opened" slot is enough.
 */
public final class CountedNioPollerProvider implements PollerProvider {
    public static final String NAME = "nio-counted";
    private static volatile NioPoller last;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int priority() {
        return Integer.MIN_VALUE;
    }

    @Override
    public Optional<String> unavailableReason() {
        return Optional.empty();
    }

    @Override
    public Poller open() throws java.io.IOException {
        NioPoller p = new NioPoller();
        last = p;
        return p;
    }

    /** The poller of the run in progress (the last one opened). */
    static NioPoller current() {
        NioPoller p = last;
        if (p == null) {
            throw new IllegalStateException("no " + NAME + " poller was opened: build the scheduler with poller(\"" + NAME + "\")");
        }
        return p;
    }
}
