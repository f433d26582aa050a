package dev.coro.scheduler;

import dev.coro.spi.Poller;

import java.nio.channels.SelectableChannel;
import java.util.concurrent.locks.LockSupport;

/**
 * The idle wait when no poller module is on the class path: parks the scheduler thread until the
 * next deadline or a cross-thread wake-up. It cannot wait for I/O.
 */
final class ParkingPoller implements Poller {
    static final String NAME = "none";
    private final Thread owner;
    /** Set by {@link #wakeup()} so that a wake-up before the park is not lost (park's permit covers it too). */
    private volatile boolean woken;

    ParkingPoller(Thread owner) {
        this.owner = owner;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Registration register(SelectableChannel channel, int ops, Object attachment) {
        throw new UnsupportedOperationException("no poller on the class path, so coros cannot wait for I/O: "
                + "add the dependency dev.coro:coro-poll-nio");
    }

    @Override
    public int poll(long timeoutNanos, ReadySink sink) {
        if (timeoutNanos == 0 || woken) {
            woken = false;
            return 0;
        }
        if (timeoutNanos < 0) {
            LockSupport.park(this);
        } else {
            LockSupport.parkNanos(this, timeoutNanos);
        }
        woken = false;
        return 0;
    }

    @Override
    public void wakeup() {
        woken = true;
        LockSupport.unpark(owner);
    }

    @Override
    public int registrations() {
        return 0;
    }

    @Override
    public void close() {
    }
}
