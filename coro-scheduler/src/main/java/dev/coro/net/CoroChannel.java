package dev.coro.net;

import dev.coro.Coro;
import dev.coro.scheduler.CoroContext;
import dev.coro.scheduler.NetSupport;
import dev.coro.scheduler.WaitSubject;
import dev.coro.spi.Poller;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.SocketAddress;
import java.net.SocketOption;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.NetworkChannel;
import java.nio.channels.SelectableChannel;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * What every coro socket shares: its non-blocking channel, the one-reader-one-writer rule, waits on
 * the poller with the optional per-wait timeout, notify of close, options and addresses.
 *
 * <p>Invariants: {@link #reader} ({@link #writer}) is the coro inside a read-side (write-side)
 * operation, or null; a coro that finds the slot taken gets {@link SimultaneousUseException} (the
 * choice of DESIGN.md §4 over queueing: see that class). {@link #readerWaiting} is true only while
 * the reader is suspended on the poller, so {@link #close} knows whom to wake. All of it belongs to
 * the scheduler thread; only {@link #closed} is read by others ({@link #close} may come from any
 * thread: it then closes the channel and wakes the waiters through the loop's inbox). A close on the
 * loop the socket waits in wakes the waiters itself and tells the poller so
 * ({@code Poller.closedByOwner}), which spares the poller a search of its other waiters. A close
 * runs under {@link #closeLock}, so a close that finds another in progress waits for it to end.
 * {@link #io} is chosen once, when the socket is made ({@link ChannelIo}).
 */
public abstract sealed class CoroChannel implements AutoCloseable
        permits CoroSocket, CoroServerSocket, CoroDatagramSocket {

    final SelectableChannel channel;
    /** The calls this socket makes on its channel: {@link ChannelIo#direct()} unless a test's poller chose otherwise. */
    final ChannelIo io;
    private final NetworkChannel net;
    /** Held by the close in progress: a second close waits for it, as {@code Channel.close()} does. */
    private final Object closeLock = new Object();
    private volatile boolean closed;
    private String closedBy;

    private Coro<?> reader, writer;
    private String readOp, writeOp;
    private boolean readerWaiting, writerWaiting;
    /** The scheduler run this socket last waited in (a cross-thread close wakes its waiters there). */
    private volatile Object loop;
    /** This socket's reusable interests in the poller of {@link #interestsLoop}, one per direction. */
    private Poller.Interest readInterest, writeInterest;
    private Object interestsLoop;
    /** How a dump describes a wait on this socket; made at its first wait. */
    private WaitSubject waitView;

    private Duration timeout;
    private long timeoutNanos = -1;

    CoroChannel(SelectableChannel channel) throws IOException {
        this.channel = channel;
        this.net = (NetworkChannel) channel;
        try {
            channel.configureBlocking(false);
            this.io = ChannelIo.forNewSocket(CoroContext.currentLoopOrNull(), channel);
        } catch (IOException | RuntimeException e) {
            closeQuietly(channel, e);
            throw e;
        }
    }

    // ---------------------------------------------------------------- timeout, options, addresses

    /**
     * Bounds each wait of this socket's operations (for readiness, or a connect) by {@code timeout}:
     * an operation that makes no progress for that long fails with {@link dev.coro.CoroTimeoutException}
     * and leaves the socket usable (a connect closes it). {@code null} or zero: no bound (the default).
     * A bound over a whole exchange is {@link Coro#withTimeout} around it.
     */
    public void setTimeout(Duration timeout) {
        if (timeout != null && timeout.isNegative()) {
            throw new IllegalArgumentException("socket timeout must not be negative, got " + timeout);
        }
        this.timeout = timeout == null || timeout.isZero() ? null : timeout;
        this.timeoutNanos = this.timeout == null ? -1 : saturatedNanos(this.timeout);
    }

    /** The per-wait timeout, or null if none. */
    public Duration timeout() {
        return timeout;
    }

    /** Sets a socket option ({@link java.net.StandardSocketOptions}); returns this socket. */
    public <T> CoroChannel setOption(SocketOption<T> option, T value) throws IOException {
        Objects.requireNonNull(option, "socket option");
        requireOpen("set option " + option.name());
        net.setOption(option, value);
        return this;
    }

    public <T> T getOption(SocketOption<T> option) throws IOException {
        Objects.requireNonNull(option, "socket option");
        requireOpen("get option " + option.name());
        return net.getOption(option);
    }

    /** The address this socket is bound to, or null if it is not bound. */
    public SocketAddress localAddress() throws IOException {
        requireOpen("get the local address");
        return net.getLocalAddress();
    }

    /** The underlying channel, for what this class does not wrap. Keep it non-blocking. */
    public SelectableChannel channel() {
        return channel;
    }

    public boolean isOpen() {
        return !closed;
    }

    // ---------------------------------------------------------------- close and notify of close

    /**
     * Closes the socket; idempotent, any thread. A coro waiting on it (in this scheduler) wakes with
     * {@link SocketClosedException}; later operations fail with it too [notify of close].
     *
     * <p>As {@link java.nio.channels.Channel#close()}: a close that finds another in progress (on
     * another thread) returns only once that one has closed the channel, so when any {@code close()}
     * returns the channel is closed. The wait is as short as the channel's own close: a close never
     * waits for the scheduler (from another thread it hands the wake-ups to the loop and returns). A
     * coro that waits so holds its scheduler thread meanwhile on the {@code native} switch, as any
     * blocking JDK call does; on {@code loom} only that coro waits.
     */
    @Override
    public void close() {
        synchronized (closeLock) {
            if (!closed) {
                closeOnce();
            }
        }
    }

    private void closeOnce() {
        Object here = CoroContext.currentLoopOrNull();
        closedBy = describeCaller(here);
        closed = true;
        Object l = loop;
        if (l == null) {
            closeChannel(); // never waited: no poller knows the channel
        } else if (l == here) {
            wakeWaiters();
            try {
                closeChannel();
            } finally {
                NetSupport.closedByOwner(l, channel); // we woke the waiters: spare the poller its search
            }
        } else {
            // Close first, then wake the loop: the select that wake-up ends deregisters the cancelled
            // key, which releases the fd; woken first, the loop could sleep again before the cancel
            // and keep the fd until some other event.
            try {
                closeChannel();
            } finally {
                CoroContext.runOnLoop(l, this::wakeWaiters);
            }
        }
    }

    private void closeChannel() {
        try {
            io.close(channel);
        } catch (IOException e) {
            throw new UncheckedIOException("closing " + this + " failed", e);
        }
    }

    private void wakeWaiters() {
        if (readerWaiting && reader != null) {
            CoroContext.wakeWithException(reader, new ClosedWake(closedWhile(readOp)));
        }
        if (writerWaiting && writer != null) {
            CoroContext.wakeWithException(writer, new ClosedWake(closedWhile(writeOp)));
        }
    }

    private static String describeCaller(Object loop) {
        if (loop != null) {
            try {
                Coro<?> c = Coro.current();
                return "coro #" + c.id() + " '" + c.name() + "'";
            } catch (IllegalStateException notInCoro) {
                return "the scheduler thread";
            }
        }
        return "thread '" + Thread.currentThread().getName() + "'";
    }

    /** Carries the checked {@link SocketClosedException} through the scheduler's unchecked wake-up. */
    private static final class ClosedWake extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final transient SocketClosedException closed;

        ClosedWake(SocketClosedException closed) {
            super(closed.getMessage(), null, false, false);
            this.closed = closed;
        }
    }

    SocketClosedException closedWhile(String op) {
        return new SocketClosedException(op + " on " + this + ": the socket was closed by "
                + (closedBy != null ? closedBy : "someone closing its channel() directly")
                + " while this coro waited on it");
    }

    SocketClosedException closedException(String op) {
        return new SocketClosedException(op + " on " + this + ": the socket is closed"
                + (closedBy != null ? " (closed by " + closedBy + ")" : ""));
    }

    void requireOpen(String op) throws SocketClosedException {
        if (closed) {
            throw closedException(op);
        }
    }

    // ---------------------------------------------------------------- the one reader, the one writer

    /**
     * The calling coro, or NotInCoroException naming {@code op} (not "op on this": toString costs
     * syscalls, and this runs per call). On the thread of the run this socket last waited in, no
     * ThreadLocal lookup.
     */
    final Coro<?> caller(String op) {
        Coro<?> me = CoroContext.selfOn(loop);
        return me != null ? me : CoroContext.self(op);
    }

    /** Enters a read-side operation: the calling coro, after the checks every operation makes. */
    final Coro<?> enterRead(String op) throws SocketClosedException {
        Coro<?> self = caller(op);
        requireOpen(op);
        if (reader != null) {
            throw simultaneous(self, op, reader, readOp, "reading");
        }
        reader = self;
        readOp = op;
        return self;
    }

    final void exitRead() {
        reader = null;
        readOp = null;
    }

    final Coro<?> enterWrite(String op) throws SocketClosedException {
        Coro<?> self = caller(op);
        requireOpen(op);
        if (writer != null) {
            throw simultaneous(self, op, writer, writeOp, "writing");
        }
        writer = self;
        writeOp = op;
        return self;
    }

    final void exitWrite() {
        writer = null;
        writeOp = null;
    }

    private SimultaneousUseException simultaneous(Coro<?> self, String op, Coro<?> other, String otherOp,
                                                  String doing) {
        return new SimultaneousUseException("coro #" + self.id() + " '" + self.name() + "' cannot " + op + " on "
                + this + ": coro #" + other.id() + " '" + other.name() + "' is " + doing + " it (in " + otherOp
                + "); a socket has one reader and one writer at a time");
    }

    /**
     * Waits until the channel is ready for {@code ops} (READ for the reader, WRITE for the writer),
     * bounded by {@code timeoutNanos} (negative: none). Throws {@link SocketClosedException} if the
     * socket was closed meanwhile.
     */
    final void await(Coro<?> self, int ops, String op, long timeoutNanos) throws IOException {
        boolean read = ops == Poller.READ;
        Object l = CoroContext.loopOf(self);
        loop = l;
        if (interestsLoop != l) {
            // First wait of this run: one reusable interest per direction (a reader and a writer may wait at once).
            readInterest = NetSupport.interest(l, channel);
            writeInterest = NetSupport.interest(l, channel);
            interestsLoop = l;
            if (waitView == null) {
                waitView = new WaitView();
            }
        }
        if (read) {
            readerWaiting = true;
        } else {
            writerWaiting = true;
        }
        // The message exists only for a bounded wait: made for every wait, it cost each read of an echo
        // (an unbounded wait) a 32-byte lambda wherever the JIT did not inline the wait.
        Supplier<String> message = timeoutNanos < 0 ? null : () -> op + " on " + this + " timed out after "
                + (timeoutNanos == this.timeoutNanos ? timeout : Duration.ofNanos(timeoutNanos)) + " without progress";
        int ready;
        try {
            ready = NetSupport.awaitReady(self, read ? readInterest : writeInterest, ops, timeoutNanos, message, waitView);
        } catch (ClosedWake e) {
            throw e.closed;
        } catch (ClosedChannelException e) {
            throw closedException(op);
        } catch (IOException e) {
            throw waitFailed(e, op); // the poller's report of the socket's error, or a refused registration
        } finally {
            if (read) {
                readerWaiting = false;
            } else {
                writerWaiting = false;
            }
        }
        if (closed || (ready & Poller.CLOSED) != 0) {
            throw closedWhile(op);
        }
    }

    final void await(Coro<?> self, int ops, String op) throws IOException {
        await(self, ops, op, timeoutNanos);
    }

    final long timeoutNanos() {
        return timeoutNanos;
    }

    /** What a failed wait of {@code op} throws: {@link #translate}d; sockets also map resets. */
    IOException waitFailed(IOException e, String op) {
        return translate(e, op);
    }

    /** Maps the JDK's closed-channel exceptions to ours; other I/O failures pass unchanged. */
    final IOException translate(IOException e, String op) {
        if (e instanceof ClosedChannelException) {
            SocketClosedException c = closedException(op);
            c.initCause(e);
            return c;
        }
        return e;
    }

    /** The peer's address for a dump, or null (not connected, or a listening socket). */
    SocketAddress peerOrNull() throws IOException {
        return null;
    }

    /**
     * A wait on this socket as a dump shows it: the socket (its addresses), the operation and the call
     * that waits. Read on the scheduler thread when a dump is taken, so {@code readOp}/{@code writeOp}
     * are those of the waiting coro.
     */
    private final class WaitView implements WaitSubject {
        @Override
        public String waitKind() {
            return "socket";
        }

        @Override
        public String describeWait(int ops) {
            String call = ops == Poller.READ ? readOp : writeOp;
            return operation(ops) + " on " + CoroChannel.this + (call != null ? " (in " + call + ")" : "");
        }

        @Override
        public String remoteAddress() {
            try {
                SocketAddress a = closed ? null : peerOrNull();
                return a == null ? null : a.toString();
            } catch (IOException | RuntimeException e) {
                return null;
            }
        }

        @Override
        public String operation(int ops) {
            if (CoroChannel.this instanceof CoroServerSocket) {
                return "accept";
            }
            if (ops == Poller.READ) {
                return "read";
            }
            return writeOp != null && writeOp.startsWith("connect") ? "connect" : "write";
        }
    }

    // ---------------------------------------------------------------- helpers

    static void requireNonNegative(long n, String what) {
        if (n < 0) {
            throw new IllegalArgumentException(what + " must not be negative, got " + n);
        }
    }

    static void requirePositive(long n, String what) {
        if (n <= 0) {
            throw new IllegalArgumentException(what + " must be positive, got " + n);
        }
    }

    static long saturatedNanos(Duration d) {
        try {
            return d.toNanos();
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }

    static void closeQuietly(java.nio.channels.Channel ch, Throwable into) {
        try {
            ch.close();
        } catch (IOException e) {
            if (into != null) {
                into.addSuppressed(e);
            }
        }
    }

    /** Class name and addresses, for messages. Never throws. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(getClass().getSimpleName()).append('[');
        try {
            sb.append(closed ? "closed" : describeAddresses());
        } catch (IOException | RuntimeException e) {
            sb.append("?");
        }
        return sb.append(']').toString();
    }

    String describeAddresses() throws IOException {
        return "local " + net.getLocalAddress();
    }

    static void nonBlocking(Coro<?> self) {
        NetSupport.completedWithoutBlocking(self);
    }
}
