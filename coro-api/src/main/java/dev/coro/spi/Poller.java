package dev.coro.spi;

import java.io.IOException;
import java.nio.channels.SelectableChannel;

/**
 * I/O readiness for one scheduler. Registrations are one-shot: a registration reports readiness
 * once, from {@link #poll}, and is then gone. All methods but {@link #wakeup()} are called on the
 * scheduler thread.
 *
 * <p>A registered channel that is closed ends its registrations with {@link #CLOSED}, reported by a
 * later poll, unless its owner said so first with {@link #closedByOwner}: a poller need not find
 * such a channel among its waiters (what that finding costs is the reason for the call).
 *
 * <p>A poller may also wait for {@link OsEvent}s (signals, process exits, file changes) of the kinds
 * it {@linkplain #waitsNatively names}; the scheduler serves the other kinds itself, through the JDK,
 * so a poller that waits for none is complete.
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
     * A reusable interest in {@code channel} for one waiter at a time (a coro socket keeps one per
     * direction for the run), so that a wait allocates nothing. Default: an {@link Interest} over
     * {@link #register(SelectableChannel, int, Object)}, one {@link Registration} per wait.
     */
    default Interest interest(SelectableChannel channel) {
        return new RegistrationInterest(this, channel);
    }

    /**
     * Whether this poller waits for OS events of {@code kind} ({@code OsEvent.Signal.class}, …)
     * itself, through {@link #register(OsEvent, Object)}. Default: none.
     */
    default boolean waitsNatively(Class<? extends OsEvent> kind) {
        return false;
    }

    /**
     * One-shot interest in {@code event}, of a kind this poller {@linkplain #waitsNatively waits for};
     * reported once through {@link ReadySink#fired} (or {@link ReadySink#failed}). Counted in
     * {@link #registrations()} until reported or cancelled; a cancel leaves nothing of it in the OS.
     *
     * @throws UnsupportedOperationException for a kind {@link #waitsNatively} denies
     */
    default Registration register(OsEvent event, Object attachment) throws IOException {
        throw new UnsupportedOperationException("poller " + name() + " does not wait for " + event.getClass().getSimpleName()
                + " events itself (the scheduler serves them through the JDK)");
    }

    /**
     * Waits at most {@code timeoutNanos} (0: not at all; negative: until readiness or a wake-up) and
     * hands each readiness to {@code sink}, in the order found. Returns how many it handed.
     */
    int poll(long timeoutNanos, ReadySink sink) throws IOException;

    /** Any thread: makes the current poll, or the next one if none is in progress, return promptly. */
    void wakeup();

    /**
     * {@code channel}, possibly registered here, has just been closed by its owner (on the scheduler
     * thread, after {@code close()} returned), who wakes the channel's waiters itself, as a coro
     * socket does [notify of close]. Its registrations still end by report or cancel as usual (they
     * may get {@link #CLOSED}, or nothing); what changes is that a poller need not pay for noticing
     * the close. A call for a channel that is open or unknown here has no effect. Default: nothing.
     */
    default void closedByOwner(SelectableChannel channel) {
    }

    /** Registrations not yet reported or cancelled. */
    int registrations();

    /** Cancels what is left and releases the poller's fds. Idempotent. */
    @Override
    void close();

    /**
     * One waiter's interest in one channel: {@link #register} arms it, a poll reports it once (through
     * the sink, with the attachment given), and the waiter calls {@link #cancel} when its wait ends,
     * reported or not. Arming it again before that cancel is an {@link IllegalStateException}: it
     * is for one waiter at a time. It counts in {@link Poller#registrations()} until reported or
     * cancelled, as a registration does.
     */
    interface Interest {
        /** Arms one-shot interest in {@code ops}, as {@link Poller#register(SelectableChannel, int, Object)}. */
        void register(int ops, Object attachment) throws IOException;

        /** Ends the current arming, if any; nothing of it is reported afterwards. */
        void cancel();
    }

    /** A registration; {@link #cancel()} is idempotent. */
    interface Registration {
        void cancel();
    }

    /**
     * Receives what {@link #poll} found. Each registration ends with exactly one call: {@link #ready}
     * for a channel's, {@link #fired} for an {@link OsEvent}'s, or {@link #failed} for either.
     */
    @FunctionalInterface
    interface ReadySink {
        void ready(Object attachment, int readyOps);

        /** An {@link OsEvent} registration happened, with the data its kind defines. Default: {@code ready(attachment, 0)}. */
        default void fired(Object attachment, long data) {
            ready(attachment, 0);
        }

        /**
         * The registration failed with {@code error}, which its waiter should meet as if its own call
         * had raised it (e.g. the socket error an OS reported with a channel's end of stream).
         * Default: {@code ready(attachment, READ | WRITE)}, so that the waiter's retried I/O meets it.
         */
        default void failed(Object attachment, IOException error) {
            ready(attachment, READ | WRITE);
        }
    }
}
