package dev.coro.tck.faults;

import java.nio.channels.SelectableChannel;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A close held by {@link FaultInjector#holdNextClose}: the closing thread waits in it, before the
 * channel is closed, until {@link #release()} (or, so that a broken test cannot hang for ever,
 * {@link #MAX_HOLD}).
 */
public final class HeldClose {
    /** The longest a close is held without a release. */
    public static final Duration MAX_HOLD = Duration.ofSeconds(60);

    private final SelectableChannel channel;
    private final CountDownLatch entered = new CountDownLatch(1);
    private final CountDownLatch released = new CountDownLatch(1);
    private volatile Thread holding;

    HeldClose(SelectableChannel channel) {
        this.channel = channel;
    }

    /** Waits at most {@code bound} until a close is held here; whether one is. */
    public boolean awaitHeld(Duration bound) throws InterruptedException {
        return entered.await(bound.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** The thread whose close is held here, or null before one is. */
    public Thread holdingThread() {
        return holding;
    }

    /** Lets the held close go on (and a close not yet held pass at once). */
    public void release() {
        released.countDown();
    }

    /** Called by the closing thread: holds it until released. */
    void hold() {
        holding = Thread.currentThread();
        entered.countDown();
        long deadline = System.nanoTime() + MAX_HOLD.toNanos();
        boolean interrupted = false;
        while (true) {
            try {
                released.await(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
                break;
            } catch (InterruptedException e) {
                interrupted = true; // a close is not interruptible: hold on, then restore the flag
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "held close of " + channel + (entered.getCount() == 0 ? " (held)" : " (not yet held)");
    }
}
