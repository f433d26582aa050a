package dev.coro.tck.net;

import dev.coro.Coro;
import dev.coro.CoroTimeoutException;
import dev.coro.net.CoroDatagramSocket;
import dev.coro.net.CoroServerSocket;
import dev.coro.net.CoroSocket;
import dev.coro.net.SocketClosedException;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** IPv6 loopback, Unix-domain stream sockets and UDP. */
public abstract class FamiliesVerification extends SocketVerificationBase {

    @Test
    public void net_ipv6LoopbackEchoes() throws IOException {
        InetSocketAddress v6 = new InetSocketAddress(InetAddress.getByName("::1"), 0);
        try (ServerSocketChannel probe = ServerSocketChannel.open(StandardProtocolFamily.INET6)) {
            probe.bind(v6);
        } catch (IOException | UnsupportedOperationException e) {
            Assumptions.abort("IPv6 loopback ::1 is not available here: " + e);
        }
        run(() -> {
            try (CoroServerSocket server = CoroServerSocket.bind(v6)) {
                Coro.spawn(() -> echo(server.accept()));
                try (CoroSocket c = CoroSocket.connectTo(server.localAddress())) {
                    assertInstanceOf(Inet6Address.class, ((InetSocketAddress) c.remoteAddress()).getAddress());
                    c.sendAll("six".getBytes());
                    assertArrayEquals("six".getBytes(), c.recvExact(3));
                }
            }
            return null;
        });
    }

    @Test
    public void net_unixDomainStreamSocketsEcho() throws IOException {
        Path dir = Files.createTempDirectory("coro-unix");
        Path file = dir.resolve("echo.sock");
        try {
            run(() -> {
                try (CoroServerSocket server = CoroServerSocket.bind(UnixDomainSocketAddress.of(file))) {
                    Coro.spawn(() -> echo(server.accept()));
                    try (CoroSocket c = CoroSocket.connectTo(UnixDomainSocketAddress.of(file))) {
                        byte[] big = new byte[1 << 20];
                        new java.util.Random(1).nextBytes(big);
                        Coro<Integer> w = Coro.spawn(() -> c.sendAll(big));
                        assertArrayEquals(big, c.recvExact(big.length));
                        assertEquals(big.length, w.join());
                        c.shutdownOutput();
                        assertEquals(0, c.recv(1).length);
                    }
                }
                return null;
            });
        } finally {
            Files.deleteIfExists(file);
            Files.delete(dir);
        }
    }

    @Test
    public void net_udpSendtoRecvfromAndConnectedSendRecv() {
        run(() -> {
            InetSocketAddress lo = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
            try (CoroDatagramSocket a = CoroDatagramSocket.bind(lo); CoroDatagramSocket b = CoroDatagramSocket.bind(lo)) {
                Coro<CoroDatagramSocket.Datagram> rx = Coro.spawn(() -> b.recvfrom(100));
                Coro.yieldSlice(); // b waits on the poller first
                assertEquals(5, a.sendto("hello".getBytes(), b.localAddress()));
                CoroDatagramSocket.Datagram d = rx.join();
                assertArrayEquals("hello".getBytes(), d.data());
                assertEquals(a.localAddress(), d.sender());

                b.connect(a.localAddress());
                b.send("back".getBytes());
                assertArrayEquals("back".getBytes(), a.recvfrom(100).data());

                b.setTimeout(Duration.ofMillis(10));
                assertThrows(CoroTimeoutException.class, () -> b.recv(10));
                a.sendto("again".getBytes(), b.localAddress());
                assertArrayEquals("again".getBytes(), b.recv(10), "usable after the timeout");

                Coro<Object> waiter = Coro.spawn(() -> assertThrows(SocketClosedException.class, () -> a.recvfrom(10)));
                Coro.yieldSlice();
                a.close();
                waiter.join();
            }
            return null;
        });
    }
}
