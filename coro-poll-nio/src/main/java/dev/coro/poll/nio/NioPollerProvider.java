package dev.coro.poll.nio;

import dev.coro.spi.Poller;
import dev.coro.spi.PollerProvider;

import java.io.IOException;
import java.util.Optional;

/** The {@code nio} poller's entry point, found by {@link java.util.ServiceLoader}; usable on every JDK platform. */
public final class NioPollerProvider implements PollerProvider {

    public static final String NAME = "nio";

    /** Below {@code kqueue}: where the OS has kqueue and its module is present, that one is the default. */
    public static final int PRIORITY = 100;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int priority() {
        return PRIORITY;
    }

    @Override
    public Optional<String> unavailableReason() {
        return Optional.empty();
    }

    @Override
    public Poller open() throws IOException {
        return new NioPoller();
    }
}
