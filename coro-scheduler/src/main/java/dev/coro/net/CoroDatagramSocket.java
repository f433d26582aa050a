package dev.coro.net;

import dev.coro.Coro;
import dev.coro.scheduler.NetSupport;
import dev.coro.spi.Poller;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ProtocolFamily;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.Arrays;
import java.util.Objects;

/**
 * A UDP socket (IPv4 or IPv6) for coros: {@link #recvfrom}/{@link #sendto}, and after
 * {@link #connect} {@link #recv}/{@link #send} with the one peer. Optimistic I/O, selfish acts, one
 * reader and one writer at a time, notify of close and timeouts as for {@link CoroSocket}.
 * A datagram longer than the buffer is truncated (the rest is lost, as with recvfrom(2)).
 */
public final class CoroDatagramSocket extends CoroChannel {
    private final DatagramChannel dc;

    private CoroDatagramSocket(DatagramChannel dc) throws IOException {
        super(dc);
        this.dc = dc;
    }

    /** A datagram and its sender. */
    public record Datagram(byte[] data, SocketAddress sender) {
    }

    /** An unbound UDP socket of {@code family} ({@code INET} or {@code INET6}). */
    public static CoroDatagramSocket open(ProtocolFamily family) throws IOException {
        Objects.requireNonNull(family, "protocol family");
        return new CoroDatagramSocket(DatagramChannel.open(family));
    }

    /** A UDP socket bound to {@code local} (port 0: any free port). */
    public static CoroDatagramSocket bind(SocketAddress local) throws IOException {
        Objects.requireNonNull(local, "local address");
        if (local instanceof InetSocketAddress i && i.isUnresolved()) {
            throw new IllegalArgumentException("cannot bind to " + local + ": the address is unresolved");
        }
        CoroDatagramSocket s = open(CoroSocket.familyOf(local));
        try {
            s.dc.bind(local);
        } catch (IOException | RuntimeException e) {
            s.close();
            throw e;
        }
        return s;
    }

    /** Waits for a datagram; returns at most {@code max} bytes of it and its sender. */
    public Datagram recvfrom(int max) throws IOException {
        requirePositive(max, "recvfrom size");
        ByteBuffer buf = ByteBuffer.allocate(max);
        SocketAddress from = recvfrom(buf);
        return new Datagram(Arrays.copyOf(buf.array(), buf.position()), from);
    }

    /** Waits for a datagram, puts it into {@code dst} and returns its sender. */
    public SocketAddress recvfrom(ByteBuffer dst) throws IOException {
        Objects.requireNonNull(dst, "recvfrom buffer");
        Coro<?> self = enterRead("recvfrom");
        try {
            NetSupport.beforeIo(self);
            boolean waited = false;
            while (true) {
                SocketAddress from;
                try {
                    from = dc.receive(dst);
                } catch (IOException e) {
                    throw translate(e, "recvfrom");
                }
                if (from != null) {
                    done(self, waited);
                    return from;
                }
                await(self, Poller.READ, "recvfrom");
                waited = true;
            }
        } finally {
            exitRead();
        }
    }

    /** Sends {@code data} as one datagram to {@code target}, waiting while the socket cannot; returns the bytes sent. */
    public int sendto(byte[] data, SocketAddress target) throws IOException {
        Objects.requireNonNull(data, "sendto data");
        return sendto(ByteBuffer.wrap(data), target);
    }

    public int sendto(ByteBuffer src, SocketAddress target) throws IOException {
        Objects.requireNonNull(src, "sendto buffer");
        Objects.requireNonNull(target, "sendto target");
        Coro<?> self = enterWrite("sendto");
        try {
            NetSupport.beforeIo(self);
            boolean waited = false;
            while (true) {
                int want = src.remaining();
                int n;
                try {
                    n = dc.send(src, target);
                } catch (IOException e) {
                    throw translate(e, "sendto");
                }
                if (n > 0 || want == 0) {
                    done(self, waited);
                    return n;
                }
                await(self, Poller.WRITE, "sendto");
                waited = true;
            }
        } finally {
            exitWrite();
        }
    }

    /** Fixes the peer: only its datagrams are received, and {@link #send}/{@link #recv} go to and come from it. */
    public void connect(SocketAddress peer) throws IOException {
        Objects.requireNonNull(peer, "peer address");
        requireOpen("connect");
        dc.connect(peer);
    }

    /** {@link #recvfrom(int)} of a connected socket, without the sender. */
    public byte[] recv(int max) throws IOException {
        requireConnected("recv");
        return recvfrom(max).data();
    }

    /** {@link #sendto} to the connected peer. */
    public int send(byte[] data) throws IOException {
        requireConnected("send");
        return sendto(data, dc.getRemoteAddress());
    }

    public SocketAddress remoteAddress() throws IOException {
        requireOpen("get the remote address");
        return dc.getRemoteAddress();
    }

    private void requireConnected(String op) throws IOException {
        requireOpen(op);
        if (!dc.isConnected()) {
            throw new IllegalStateException(op + " on " + this + ": not connected (use connect, or recvfrom/sendto)");
        }
    }

    private static void done(Coro<?> self, boolean waited) {
        if (waited) {
            NetSupport.blocked(self);
        } else {
            nonBlocking(self);
        }
    }

    @Override
    SocketAddress peerOrNull() throws IOException {
        return dc.getRemoteAddress();
    }

    @Override
    String describeAddresses() throws IOException {
        return "udp " + dc.getLocalAddress() + (dc.isConnected() ? " -> " + dc.getRemoteAddress() : "");
    }
}
