package dev.coro.spi;

import java.io.IOException;
import java.nio.channels.SelectableChannel;

/**
 * I/O readiness for one scheduler. Registrations are one-shot: a registration reports readiness
 * once, from {@link #poll}, and is then gone. All methods but {@link #wakeup()} are called on the
 * scheduler thread.
 */
public interface Poller extends AutoCloseable {

    /** Interest and readiness bits. */
    int READ = 1;
    int WRITE = 1 << 1;
    /** Readiness only: the registration ended because its channel was closed. */
    int CLOSED = 1 << 2;

    String name();

    /** One-shot interest in {@code ops} ({@link #READ}, {@link #WRITE}) of {@code channel}. */
    Registration register(SelectableChannel channel, int ops, Object attachment) throws IOException;

    /**
     * Waits at most {@code timeoutNanos} (0: not at all; negative: until readiness or a wake-up) and
     * hands each readiness to {@code sink}, in the order found. Returns how many it handed.
     */
    int poll(long timeoutNanos, ReadySink sink) throws IOException;

    /** Any thread: makes the current poll, or the next one if none is in progress, return promptly. */
    void wakeup();

    /** Registrations not yet reported or cancelled. */
    int registrations();

    /** Cancels what is left and releases the poller's fds. Idempotent. */
    @Override
    void close();

    /** A registration; {@link #cancel()} is idempotent. */
    interface Registration {
        void cancel();
    }

    /** Receives readiness from {@link #poll}. */
    @FunctionalInterface
    interface ReadySink {
        void ready(Object attachment, int readyOps);
    }
}
