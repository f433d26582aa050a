package dev.coro.scheduler;

import dev.coro.Coro;
import dev.coro.CoroExecutionException;

import java.io.IOException;
import java.nio.channels.SelectableChannel;
import java.util.function.Supplier;

/**
 * What {@code dev.coro.net} needs from the scheduler beyond {@link CoroContext}. Not a user API.
 *
 * <p>Selfish acts (DESIGN.md §3 rule 9) take three calls: a yield <em>after</em> an I/O call that
 * completed would let a timeout or interrupt delivered during it lose the bytes the call had just
 * moved (a recv's data, a send's count), so the yield comes before the next I/O call, where an
 * interrupt loses nothing; and a real block resets the count, so "after 4 in a row" holds. Each
 * such yield is a JFR {@link SelfishYieldEvent} ({@code dev.coro.SelfishYield}) when JFR records it.
 */
public final class NetSupport {
    private NetSupport() {
    }

    /** Call before an I/O call: yields first if the caller's last calls all completed without blocking. */
    public static void beforeIo(Coro<?> self) {
        CoroImpl<?> c = impl(self);
        if (c.selfishActs >= CoroImpl.MAX_SELFISH_ACTS) {
            int acts = c.selfishActs;
            c.selfishActs = 0;
            selfishYield(c, acts);
        }
    }

    /** {@link #beforeIo} for an accept, which has its own, larger allowance (see {@code CoroImpl.MAX_SELFISH_ACCEPTS}). */
    public static void beforeAccept(Coro<?> self) {
        CoroImpl<?> c = impl(self);
        if (c.selfishAccepts >= CoroImpl.MAX_SELFISH_ACCEPTS) {
            int acts = c.selfishAccepts;
            c.selfishAccepts = 0;
            selfishYield(c, acts);
        }
    }

    private static void selfishYield(CoroImpl<?> c, int acts) {
        SelfishYieldEvent jfr = JfrEvents.selfishYield(); // null until JFR starts, then scalar-replaced unless recorded
        c.loop.engine.yieldSlice();
        if (jfr != null) {
            jfr.report(c, acts);
        }
    }

    /** Call after an I/O call that completed without waiting on the poller. */
    public static void completedWithoutBlocking(Coro<?> self) {
        impl(self).selfishActs++;
    }

    /** Call after an accept that completed without waiting on the poller. */
    public static void acceptedWithoutBlocking(Coro<?> self) {
        impl(self).selfishAccepts++;
    }

    /** Call after an I/O call that had to wait on the poller (it let the others run). */
    public static void blocked(Coro<?> self) {
        CoroImpl<?> c = impl(self);
        c.selfishActs = 0;
        c.selfishAccepts = 0;
    }

    /**
     * Suspends {@code self} until {@code interest} (from {@link #interest}, for the run {@code self}
     * is on) reports readiness for {@code ops}, re-arming it rather than allocating a registration
     * (it is cancelled however the wait ends), and returns the ready ops; bounded by
     * {@code timeoutNanos} when that is not negative: then a {@link dev.coro.CoroTimeoutException}
     * carrying {@code message} ends the wait (a timebomb of rule 5, armed only for waits that happen,
     * so an I/O call that does not block costs no timer; an unbounded wait may pass a null message).
     * {@code subject} is the socket, as a dump describes the wait.
     */
    public static int awaitReady(Coro<?> self, dev.coro.spi.Poller.Interest interest, int ops, long timeoutNanos,
                                 Supplier<String> message, WaitSubject subject) throws IOException {
        CoroImpl<?> c = impl(self);
        if (timeoutNanos < 0) {
            return c.loop.pollerWaits.awaitReady(c, interest, ops, subject);
        }
        try {
            return c.loop.engine.withTimeout(timeoutNanos, () -> c.loop.pollerWaits.awaitReady(c, interest, ops, subject), message);
        } catch (CoroExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io; // withTimeout wraps checked exceptions; registration failures are IOExceptions
            }
            throw e;
        }
    }

    /** A reusable interest in {@code channel} of the poller of {@code loop} (a value of {@link CoroContext#loopOf}). */
    public static dev.coro.spi.Poller.Interest interest(Object loop, SelectableChannel channel) {
        return ((EventLoop) loop).poller.interest(channel);
    }

    /**
     * Tells the poller of {@code loop} (a value of {@link CoroContext#loopOf}; the run the caller is
     * on) that the caller closed {@code channel} and woke its waiters itself: see
     * {@link dev.coro.spi.Poller#closedByOwner}.
     */
    public static void closedByOwner(Object loop, SelectableChannel channel) {
        ((EventLoop) loop).poller.closedByOwner(channel);
    }

    /**
     * The poller of {@code loop} (a value of {@link CoroContext#currentLoopOrNull}): a socket made in
     * that run asks it once whether it chooses the socket's I/O ({@code dev.coro.net.ChannelIo.Source},
     * a test's fault injector).
     */
    public static dev.coro.spi.Poller poller(Object loop) {
        return ((EventLoop) loop).poller;
    }

    /**
     * The scheduler's shared I/O buffer (direct, so the JDK moves bytes through it without a copy of
     * its own), cleared to {@code [0, size)}. One per run: coros run one at a time, and each use ends
     * before its coro next switches: a read copies out what it read, a staged write writes what it
     * copied in (and copies again after a wait). Above 1 MiB a fresh heap buffer is returned instead.
     */
    public static java.nio.ByteBuffer ioScratch(Coro<?> self, int size) {
        EventLoop loop = impl(self).loop;
        if (size > MAX_SCRATCH) {
            return java.nio.ByteBuffer.allocate(size);
        }
        java.nio.ByteBuffer b = loop.ioScratch;
        if (b == null || b.capacity() < size) {
            b = java.nio.ByteBuffer.allocateDirect(Math.max(size, 16 * 1024));
            loop.ioScratch = b;
        }
        return b.clear().limit(size);
    }

    private static final int MAX_SCRATCH = 1 << 20;

    private static CoroImpl<?> impl(Coro<?> c) {
        return CoroContext.impl(c);
    }
}
