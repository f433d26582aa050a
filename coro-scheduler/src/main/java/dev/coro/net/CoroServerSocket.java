package dev.coro.net;

import dev.coro.Coro;
import dev.coro.scheduler.LoopLog;
import dev.coro.scheduler.NetSupport;
import dev.coro.spi.Poller;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ProtocolFamily;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.Objects;

/**
 * A listening stream socket (TCP over IPv4 or IPv6, or Unix-domain) for coros.
 *
 * <p>Out of file descriptors (EMFILE, ENFILE) on accept: the connection stays in the backlog and
 * the listening socket stays readable, so waiting on the poller would spin. {@link #accept} instead
 * sleeps through the scheduler (10 ms, doubling to {@value #MAX_BACKOFF_MS} ms, reset by a
 * success), logs at most once per {@value #LOG_INTERVAL_S} s with the count of failures in between,
 * and accepts again when descriptors are free. The backoff sleeps honour interrupts and
 * {@link Coro#withTimeout}; the socket's per-wait timeout bounds only waits on the poller.
 * Bound Unix-domain socket files are not deleted on close: that is the application's business.
 */
public final class CoroServerSocket extends CoroChannel {
    private static final System.Logger LOG = System.getLogger("dev.coro.net");
    static final long MIN_BACKOFF_MS = 10, MAX_BACKOFF_MS = 500, LOG_INTERVAL_S = 10;

    private final ServerSocketChannel ssc;
    private long backoffMs = MIN_BACKOFF_MS;
    private long lastLogNanos;
    private int unloggedFailures;
    private long fdExhaustions;

    private CoroServerSocket(ServerSocketChannel ssc) throws IOException {
        super(ssc);
        this.ssc = ssc;
    }

    /** A listening socket on {@code local} (port 0: any free port) with the default backlog. */
    public static CoroServerSocket bind(SocketAddress local) throws IOException {
        return bind(local, 0);
    }

    /**
     * A listening socket on {@code local} with {@code backlog} (0: the system default). IP sockets
     * get {@code SO_REUSEADDR} first, as in shrapnel, so that a restarted server can bind at once.
     */
    public static CoroServerSocket bind(SocketAddress local, int backlog) throws IOException {
        Objects.requireNonNull(local, "local address");
        requireNonNegative(backlog, "backlog");
        if (local instanceof InetSocketAddress i && i.isUnresolved()) {
            throw new IllegalArgumentException("cannot bind to " + local + ": the address is unresolved");
        }
        ProtocolFamily family = CoroSocket.familyOf(local);
        CoroServerSocket s = new CoroServerSocket(ServerSocketChannel.open(family));
        try {
            if (family != StandardProtocolFamily.UNIX) {
                s.ssc.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            }
            s.ssc.bind(local, backlog);
        } catch (IOException | RuntimeException e) {
            s.close();
            throw e;
        }
        return s;
    }

    /**
     * Waits for a connection and returns it as a {@link CoroSocket}. Only one coro may accept on a
     * socket at a time (a second gets {@link SimultaneousUseException}); servers that want several
     * acceptors use several sockets with {@code SO_REUSEPORT}.
     */
    public CoroSocket accept() throws IOException {
        Coro<?> self = enterRead("accept");
        try {
            NetSupport.beforeAccept(self);
            boolean waited = false;
            while (true) {
                SocketChannel ch;
                try {
                    ch = io.accept(ssc);
                } catch (IOException e) {
                    if (!isOutOfDescriptors(e)) {
                        throw translate(e, "accept");
                    }
                    backOff(e);
                    continue;
                }
                if (ch != null) {
                    backoffMs = MIN_BACKOFF_MS;
                    if (waited) {
                        NetSupport.blocked(self);
                    } else {
                        NetSupport.acceptedWithoutBlocking(self);
                    }
                    return new CoroSocket(ch); // closes ch itself if it cannot be made non-blocking
                }
                await(self, Poller.READ, "accept");
                waited = true;
            }
        } finally {
            exitRead();
        }
    }

    private void backOff(IOException e) {
        fdExhaustions++;
        long now = System.nanoTime();
        if (lastLogNanos == 0 || now - lastLogNanos >= LOG_INTERVAL_S * 1_000_000_000L) {
            // Through LoopLog: out of fds, the JVM's first log record can fail inside the logger itself.
            LoopLog.log(LOG, System.Logger.Level.WARNING, "accept on " + this + ": " + e.getMessage()
                    + "; backing off (up to " + MAX_BACKOFF_MS + " ms between attempts)"
                    + (unloggedFailures > 0 ? "; " + unloggedFailures + " more such failures since the last report" : ""),
                    null);
            lastLogNanos = now;
            unloggedFailures = 0;
        } else {
            unloggedFailures++;
        }
        Coro.sleep(Duration.ofMillis(backoffMs));
        backoffMs = Math.min(MAX_BACKOFF_MS, backoffMs * 2);
    }

    /** EMFILE ("Too many open files") or ENFILE ("Too many open files in system"). */
    static boolean isOutOfDescriptors(IOException e) {
        String m = e.getMessage();
        return m != null && m.contains("Too many open files");
    }

    /** How many accepts failed for lack of file descriptors since this socket was opened. */
    public long fdExhaustions() {
        return fdExhaustions;
    }

    public CoroServerSocket setReusePort(boolean on) throws IOException {
        setOption(StandardSocketOptions.SO_REUSEPORT, on);
        return this;
    }

    public CoroServerSocket setReceiveBufferSize(int bytes) throws IOException {
        requirePositive(bytes, "receive buffer size");
        setOption(StandardSocketOptions.SO_RCVBUF, bytes);
        return this;
    }

    @Override
    String describeAddresses() throws IOException {
        return "listening on " + ssc.getLocalAddress();
    }
}
