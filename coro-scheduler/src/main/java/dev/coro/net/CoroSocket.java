package dev.coro.net;

import dev.coro.Coro;
import dev.coro.scheduler.NetSupport;
import dev.coro.spi.Poller;

import java.io.IOException;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.ProtocolFamily;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;

/**
 * A stream socket (TCP over IPv4 or IPv6, or Unix-domain) for coros. Every operation first tries
 * the non-blocking call and waits on the poller only when it would block; calls that complete
 * without waiting count as selfish acts (SPEC.md §3 rule 9). One coro may read while another
 * writes; a second concurrent reader (writer) gets {@link SimultaneousUseException}.
 *
 * <p>Lines, delimited records and {@code InputStream}/{@code OutputStream} views: {@link #reader()}
 * (a buffered {@link CoroSocketReader}) and {@link #outputStream()}.
 *
 * <p>A timeout or interrupt during a wait leaves the socket usable: no bytes were moved by the
 * interrupted wait ({@code sendAll}, {@code recvExact} and {@code readv}/{@code writev} may have
 * moved earlier parts; they are not undone). A failed or interrupted {@link #connect} closes it.
 * A peer reset fails the read or write with {@link ConnectionResetException} (a
 * {@link java.net.SocketException}; see there why a reset is not the end of the stream); the socket
 * stays open until closed.
 */
public final class CoroSocket extends CoroChannel {
    private static final byte[] EMPTY = new byte[0];
    private final SocketChannel sc;
    private CoroSocketReader reader;
    private OutputStream out;
    /**
     * The last read stopped short of filling its buffer, so it emptied the socket: the next read
     * waits for readiness before it tries, instead of spending a {@code read} that would most likely
     * find nothing (EAGAIN). Bytes that came meanwhile are not delayed past one poll: the pollers
     * report readiness that is already there (nio is level-triggered; kqueue's EV_ADD fires at once).
     */
    private boolean drained;

    CoroSocket(SocketChannel sc) throws IOException {
        super(sc);
        this.sc = sc;
    }

    /** An unconnected stream socket of {@code family} ({@code INET}, {@code INET6}, {@code UNIX}), to set options on, then {@link #connect}. */
    public static CoroSocket open(ProtocolFamily family) throws IOException {
        Objects.requireNonNull(family, "protocol family");
        return new CoroSocket(SocketChannel.open(family));
    }

    /** A socket connected to {@code remote}, with no timeout beyond the connection's own. */
    public static CoroSocket connectTo(SocketAddress remote) throws IOException {
        return connectTo(remote, null);
    }

    /** A socket connected to {@code remote} within {@code timeout} (null: none). Nothing stays open on failure. */
    public static CoroSocket connectTo(SocketAddress remote, Duration timeout) throws IOException {
        CoroSocket s = open(familyOf(remote));
        try {
            s.connect(remote, timeout);
        } catch (RuntimeException e) {
            s.close(); // a bad argument: connect closes on every failure after its checks
            throw e;
        }
        return s;
    }

    /** Connects; see {@link #connect(SocketAddress, Duration)}. */
    public void connect(SocketAddress remote) throws IOException {
        connect(remote, null);
    }

    /**
     * Connects to {@code remote}, waiting at most {@code timeout} (null: the socket's
     * {@link #setTimeout timeout}, if any). On any failure, timeout or interrupt the socket is
     * closed and the exception propagates: a refused connection is a {@link ConnectException}
     * naming the address.
     */
    public void connect(SocketAddress remote, Duration timeout) throws IOException {
        Objects.requireNonNull(remote, "remote address");
        if (timeout != null && timeout.isNegative()) {
            throw new IllegalArgumentException("connect timeout must not be negative, got " + timeout);
        }
        if (remote instanceof InetSocketAddress i && i.isUnresolved()) {
            throw new IllegalArgumentException("cannot connect to " + remote + ": the address is unresolved "
                    + "(resolve it first, e.g. with Coro.blocking(() -> InetAddress.getByName(host)))");
        }
        Coro<?> self = enterWrite("connect");
        boolean ok = false;
        try {
            long nanos = timeout != null ? saturatedNanos(timeout) : timeoutNanos();
            if (!sc.connect(remote)) {
                long deadline = nanos < 0 ? 0 : Coro.now() + nanos;
                do {
                    long left = nanos < 0 ? -1 : Math.max(0, deadline - Coro.now());
                    await(self, Poller.WRITE, "connect to " + remote, left);
                } while (!sc.finishConnect());
            }
            ok = true;
        } catch (ConnectException e) {
            ConnectException named = new ConnectException("cannot connect to " + remote + ": " + e.getMessage());
            named.initCause(e);
            throw named;
        } catch (IOException e) {
            throw translate(e, "connect to " + remote);
        } finally {
            exitWrite();
            if (!ok) {
                close();
            }
        }
    }

    // ---------------------------------------------------------------- reading

    /**
     * Reads what is available, at most {@code max} bytes, waiting until at least one byte is;
     * returns an empty array at the end of the stream.
     */
    public byte[] recv(int max) throws IOException {
        requirePositive(max, "recv size");
        Coro<?> self = enterRead("recv");
        try {
            // Read through the scheduler's shared direct buffer and copy out only what came: no
            // max-sized array per call, and no JDK copy through a temporary direct buffer.
            ByteBuffer scratch = NetSupport.ioScratch(self, max);
            int n = readSome(self, scratch, "recv", max);
            if (n < 0) {
                return EMPTY;
            }
            byte[] out = new byte[n];
            scratch.flip().get(out);
            return out;
        } finally {
            exitRead();
        }
    }

    /**
     * Reads exactly {@code n} bytes, waiting as needed; a stream that ends first is a
     * {@link PrematureEofException} carrying the bytes that came.
     */
    public byte[] recvExact(int n) throws IOException {
        requireNonNegative(n, "recvExact size");
        Coro<?> self = enterRead("recvExact");
        try {
            byte[] out = new byte[n];
            ByteBuffer buf = ByteBuffer.wrap(out);
            while (buf.hasRemaining()) {
                if (readSome(self, buf, "recvExact") < 0) {
                    throw new PrematureEofException("recvExact(" + n + ") on " + this, n,
                            Arrays.copyOf(out, buf.position()));
                }
            }
            return out;
        } finally {
            exitRead();
        }
    }

    /**
     * Reads into {@code dst}'s remaining space, waiting until at least one byte is available;
     * returns the count, -1 at the end of the stream, 0 if {@code dst} has no room.
     */
    public int recvInto(ByteBuffer dst) throws IOException {
        Objects.requireNonNull(dst, "recvInto buffer");
        Coro<?> self = enterRead("recvInto");
        try {
            return dst.hasRemaining() ? readSome(self, dst, "recvInto") : 0;
        } finally {
            exitRead();
        }
    }

    /**
     * Scatter read: fills {@code dsts} one after another until all are full or the stream ends.
     * Returns the bytes read, or -1 if the stream ended before any.
     */
    public long readv(ByteBuffer... dsts) throws IOException {
        requireBuffers(dsts, "readv");
        Coro<?> self = enterRead("readv");
        try {
            long total = 0;
            int first = 0;
            while (first < dsts.length) {
                if (!dsts[first].hasRemaining()) {
                    first++;
                    continue;
                }
                NetSupport.beforeIo(self);
                long n;
                try {
                    n = io.read(sc, dsts, first, dsts.length - first);
                } catch (IOException e) {
                    throw failed(e, "readv");
                }
                if (n < 0) {
                    return total == 0 ? -1 : total;
                }
                if (n == 0) {
                    await(self, Poller.READ, "readv");
                    NetSupport.blocked(self);
                } else {
                    nonBlocking(self);
                    total += n;
                }
            }
            return total;
        } finally {
            exitRead();
        }
    }

    /**
     * Scatter read into new arrays of the given sizes: each full but the last, which may be short
     * (or missing) if the stream ended early [shrapnel: {@code readv(size_list)}].
     */
    public byte[][] readv(int... sizes) throws IOException {
        Objects.requireNonNull(sizes, "readv sizes");
        ByteBuffer[] bufs = new ByteBuffer[sizes.length];
        for (int i = 0; i < sizes.length; i++) {
            requireNonNegative(sizes[i], "readv size [" + i + "]");
            bufs[i] = ByteBuffer.allocate(sizes[i]);
        }
        readv(bufs);
        int n = 0;
        while (n < bufs.length && !bufs[n].hasRemaining()) {
            n++;
        }
        if (n < bufs.length && bufs[n].position() > 0) {
            n++; // the partial one
        }
        byte[][] out = new byte[n][];
        for (int i = 0; i < n; i++) {
            out[i] = Arrays.copyOf(bufs[i].array(), bufs[i].position());
        }
        return out;
    }

    /** One read attempt loop: returns bytes read (> 0) or -1; waits while nothing is available. */
    private int readSome(Coro<?> self, ByteBuffer buf, String op) throws IOException {
        return readSome(self, buf, op, -1);
    }

    /**
     * Reads once some bytes are there. With {@code scratchLimit >= 0}, {@code buf} is the
     * scheduler's shared scratch buffer, which other coros may have used while this one waited: it
     * is reset to {@code [0, scratchLimit)} before every attempt (nothing in it is ours until a read
     * succeeds, and from then on this method returns without switching).
     */
    private int readSome(Coro<?> self, ByteBuffer buf, String op, int scratchLimit) throws IOException {
        NetSupport.beforeIo(self);
        boolean waited = false;
        if (drained) {
            drained = false;
            await(self, Poller.READ, op);
            waited = true;
        }
        while (true) {
            if (scratchLimit >= 0) {
                buf.clear().limit(scratchLimit);
            }
            int n;
            try {
                n = io.read(sc, buf);
            } catch (IOException e) {
                throw failed(e, op);
            }
            if (n != 0) {
                drained = n > 0 && buf.hasRemaining();
                if (waited) {
                    NetSupport.blocked(self);
                } else {
                    nonBlocking(self);
                }
                return n;
            }
            await(self, Poller.READ, op);
            waited = true;
        }
    }

    // ---------------------------------------------------------------- writing

    /** Writes some of {@code data} (at least one byte unless it is empty), waiting until it can; returns the count. */
    public int send(byte[] data) throws IOException {
        Objects.requireNonNull(data, "send data");
        return sendArray(data, 0, data.length, false, "send");
    }

    /** Writes some of {@code src}'s remaining bytes (at least one unless none remain); returns the count. */
    public int send(ByteBuffer src) throws IOException {
        Objects.requireNonNull(src, "send buffer");
        Coro<?> self = enterWrite("send");
        try {
            return src.hasRemaining() ? writeSome(self, src, "send") : 0;
        } finally {
            exitWrite();
        }
    }

    /** Writes all of {@code data}, waiting as needed; returns its length. */
    public int sendAll(byte[] data) throws IOException {
        Objects.requireNonNull(data, "sendAll data");
        return sendArray(data, 0, data.length, true, "sendAll");
    }

    /**
     * {@code send} ({@code all} false) or {@code sendAll} of {@code data[off, off + len)}. The first
     * attempt copies the array straight to the scratch buffer (no wrapper object: an echo's every
     * message takes only this path); what it leaves, when the socket's buffer is full, goes the
     * {@code ByteBuffer} way.
     */
    private int sendArray(byte[] data, int off, int len, boolean all, String op) throws IOException {
        Coro<?> self = enterWrite(op);
        try {
            int done = len > 0 && len <= MAX_STAGED ? writeFromArray(self, data, off, len, op) : 0;
            if (done == len || done > 0 && !all) {
                return done;
            }
            ByteBuffer rest = ByteBuffer.wrap(data, off + done, len - done);
            do {
                done += writeSome(self, rest, op);
            } while (all && rest.hasRemaining());
            return done;
        } finally {
            exitWrite();
        }
    }

    /** Writes all of {@code src}'s remaining bytes, waiting as needed; returns the count. */
    public int sendAll(ByteBuffer src) throws IOException {
        Objects.requireNonNull(src, "sendAll buffer");
        Coro<?> self = enterWrite("sendAll");
        try {
            int total = 0;
            while (src.hasRemaining()) {
                total += writeSome(self, src, "sendAll");
            }
            return total;
        } finally {
            exitWrite();
        }
    }

    /** Gather write: writes all of {@code srcs} in order, waiting as needed; returns the total. */
    public long writev(ByteBuffer... srcs) throws IOException {
        requireBuffers(srcs, "writev");
        Coro<?> self = enterWrite("writev");
        try {
            long total = 0;
            int first = 0;
            while (first < srcs.length) {
                if (!srcs[first].hasRemaining()) {
                    first++;
                    continue;
                }
                NetSupport.beforeIo(self);
                long n;
                try {
                    n = io.write(sc, srcs, first, srcs.length - first);
                } catch (IOException e) {
                    throw failed(e, "writev");
                }
                if (n == 0) {
                    await(self, Poller.WRITE, "writev");
                    NetSupport.blocked(self);
                } else {
                    nonBlocking(self);
                    total += n;
                }
            }
            return total;
        } finally {
            exitWrite();
        }
    }

    private int writeSome(Coro<?> self, ByteBuffer src, String op) throws IOException {
        NetSupport.beforeIo(self);
        boolean waited = false;
        boolean staged = src.hasArray() && src.remaining() <= MAX_STAGED; // (not a read-only heap buffer)
        while (true) {
            int n;
            try {
                if (staged) {
                    int pos = src.position();
                    n = writeStaged(self, src.array(), src.arrayOffset() + pos, src.remaining());
                    if (n > 0) {
                        src.position(pos + n); // as write(src) would
                    }
                } else {
                    n = io.write(sc, src);
                }
            } catch (IOException e) {
                throw failed(e, op);
            }
            if (n > 0) {
                if (waited) {
                    NetSupport.blocked(self);
                } else {
                    nonBlocking(self);
                }
                return n;
            }
            await(self, Poller.WRITE, op);
            waited = true;
        }
    }

    /**
     * Heap bytes up to this many are written through the run's direct scratch buffer rather than the
     * JDK's: its {@code write} of a heap buffer copies into a per-thread cached direct buffer (two
     * {@code ThreadLocal} lookups and a cache search per call). Larger ones take the JDK's path, which
     * writes them in one call where a bounded scratch would take several.
     */
    private static final int MAX_STAGED = 64 * 1024;

    /**
     * One write of {@code data[off, off + len)} ({@code len} at most {@link #MAX_STAGED}) through the
     * scratch buffer: the count written, 0 if the socket's buffer is full. Each call copies afresh:
     * the scratch is the run's, and others use it while this coro waits.
     */
    private int writeStaged(Coro<?> self, byte[] data, int off, int len) throws IOException {
        ByteBuffer scratch = NetSupport.ioScratch(self, len);
        scratch.put(0, data, off, len);
        return io.write(sc, scratch);
    }

    /** {@link #writeStaged}, once and without waiting, for {@link #sendArray}'s first attempt. */
    private int writeFromArray(Coro<?> self, byte[] data, int off, int len, String op) throws IOException {
        NetSupport.beforeIo(self);
        int n;
        try {
            n = writeStaged(self, data, off, len);
        } catch (IOException e) {
            throw failed(e, op);
        }
        if (n > 0) {
            nonBlocking(self);
        }
        return n;
    }

    // ---------------------------------------------------------------- streams

    /** This socket's reader with lines of at most {@value CoroSocketReader#DEFAULT_MAX_LINE} bytes; see {@link #reader(int)}. */
    public CoroSocketReader reader() {
        return reader(CoroSocketReader.DEFAULT_MAX_LINE);
    }

    /**
     * This socket's buffered reader: lines, delimited records, exact counts and an
     * {@code InputStream}, with lines and records of at most {@code maxLine} bytes. One per socket: the
     * first call makes it, later calls with the same {@code maxLine} return it (a reader holds bytes
     * it has read ahead, which a second reader would never see). Once it exists, read through it only:
     * {@code recv} and the other read methods of this class bypass its buffer.
     *
     * @throws IllegalArgumentException if {@code maxLine} is not in 1..{@value CoroSocketReader#MAX_MAX_LINE}
     * @throws IllegalStateException if this socket already has a reader with another {@code maxLine}
     */
    public CoroSocketReader reader(int maxLine) {
        CoroSocketReader r = reader;
        if (r == null) {
            r = new CoroSocketReader(this, maxLine);
            reader = r;
        } else if (r.maxLine() != maxLine) {
            throw new IllegalStateException("cannot make a reader with maxLine " + maxLine + " for " + this
                    + ": it already has one with maxLine " + r.maxLine()
                    + " (a socket has one reader, which holds the bytes it has read ahead)");
        }
        return r;
    }

    /**
     * This socket as an {@code OutputStream}: {@code write} is {@link #sendAll}, suspending only the
     * calling coro; unbuffered, like {@code Socket.getOutputStream()} (wrap it in a
     * {@code BufferedOutputStream} for many small writes, and flush that). {@code flush()} does
     * nothing; {@code close()} closes the socket, as {@code Socket.getOutputStream().close()} does (use
     * {@link #shutdownOutput} for a half-close). The same one-writer rule holds: a coro writing
     * through the stream while another is inside a send gets {@link SimultaneousUseException}.
     */
    public OutputStream outputStream() {
        OutputStream o = out;
        if (o == null) {
            o = new SocketOutputStream();
            out = o;
        }
        return o;
    }

    private final class SocketOutputStream extends OutputStream {
        private final byte[] one = new byte[1];

        @Override
        public void write(int b) throws IOException {
            one[0] = (byte) b;
            sendArray(one, 0, 1, true, "sendAll");
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            Objects.requireNonNull(b, "write buffer");
            Objects.checkFromIndexSize(off, len, b.length);
            if (len > 0) {
                sendArray(b, off, len, true, "sendAll");
            } else {
                requireOpen("write");
            }
        }

        @Override
        public void close() {
            CoroSocket.this.close();
        }

        @Override
        public String toString() {
            return "output stream of " + CoroSocket.this;
        }
    }

    // ---------------------------------------------------------------- half-close, options, addresses

    /** Half-close: no more sends; the peer reads the end of the stream. Reading goes on. */
    public void shutdownOutput() throws IOException {
        requireOpen("shutdownOutput");
        sc.shutdownOutput();
    }

    /** No more reads: a waiting or later recv sees the end of the stream. */
    public void shutdownInput() throws IOException {
        requireOpen("shutdownInput");
        sc.shutdownInput();
    }

    /** The peer's address, or null if not connected. */
    public SocketAddress remoteAddress() throws IOException {
        requireOpen("get the remote address");
        return sc.getRemoteAddress();
    }

    public CoroSocket setNoDelay(boolean on) throws IOException {
        setOption(StandardSocketOptions.TCP_NODELAY, on);
        return this;
    }

    public CoroSocket setKeepAlive(boolean on) throws IOException {
        setOption(StandardSocketOptions.SO_KEEPALIVE, on);
        return this;
    }

    public CoroSocket setSendBufferSize(int bytes) throws IOException {
        requirePositive(bytes, "send buffer size");
        setOption(StandardSocketOptions.SO_SNDBUF, bytes);
        return this;
    }

    public CoroSocket setReceiveBufferSize(int bytes) throws IOException {
        requirePositive(bytes, "receive buffer size");
        setOption(StandardSocketOptions.SO_RCVBUF, bytes);
        return this;
    }

    @Override
    SocketAddress peerOrNull() throws IOException {
        return sc.getRemoteAddress();
    }

    @Override
    String describeAddresses() throws IOException {
        return sc.getLocalAddress() + (sc.isConnected() ? " -> " + sc.getRemoteAddress() : "");
    }

    @Override
    IOException waitFailed(IOException e, String op) {
        return failed(e, op);
    }

    /** {@link #translate}, and a reset (the JDK has only messages for it) as {@link ConnectionResetException}. */
    private IOException failed(IOException e, String op) {
        IOException t = translate(e, op);
        if (t == e && ConnectionResetException.isReset(e)) {
            return new ConnectionResetException(op + " on " + this + ": the peer reset the connection ("
                    + e.getMessage() + ")", e);
        }
        return t;
    }

    static ProtocolFamily familyOf(SocketAddress a) {
        Objects.requireNonNull(a, "address");
        if (a instanceof UnixDomainSocketAddress) {
            return StandardProtocolFamily.UNIX;
        }
        if (a instanceof InetSocketAddress i) {
            return i.getAddress() instanceof Inet6Address ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET;
        }
        throw new IllegalArgumentException("unsupported address type " + a.getClass().getName() + ": " + a);
    }

    private static void requireBuffers(ByteBuffer[] bufs, String op) {
        Objects.requireNonNull(bufs, op + " buffers");
        for (int i = 0; i < bufs.length; i++) {
            Objects.requireNonNull(bufs[i], op + " buffer [" + i + "]");
        }
    }
}
