package dev.coro.spi;

import java.util.Optional;

/**
 * A poller, found through {@link java.util.ServiceLoader}. The default order is by
 * {@link #priority()}, highest first ({@code kqueue} where the OS has it, then {@code nio}).
 */
public interface PollerProvider {

    String name();

    int priority();

    /** Empty when usable here; otherwise why not (OS, missing JVM flag or library). */
    Optional<String> unavailableReason();

    /** Opens a poller for one scheduler run; called on the scheduler thread. */
    Poller open() throws java.io.IOException;
}
