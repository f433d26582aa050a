package dev.coro.tck.net;

import dev.coro.Coro;
import dev.coro.CoroInterruptedException;
import dev.coro.CoroTimeoutException;
import dev.coro.NotInCoroException;
import dev.coro.net.CoroServerSocket;
import dev.coro.net.CoroSocket;
import dev.coro.net.PrematureEofException;
import dev.coro.net.SimultaneousUseException;
import dev.coro.net.SocketClosedException;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Notify of close, timeouts, interrupts, refused connects, resets, half-close, EOF and bad input. */
public abstract class FaultsVerification extends SocketVerificationBase {

    @Test
    public void net_closingASocketWakesTheCoroBlockedReadingIt() {
        String msg = run(() -> {
            try (CoroServerSocket server = echoServer(); CoroSocket c = CoroSocket.connectTo(server.localAddress())) {
                Coro<String> reader = Coro.spawn("reader", () -> {
                    SocketClosedException e = assertThrows(SocketClosedException.class, () -> c.recv(10));
                    return e.getMessage();
                });
                Coro.yieldSlice(); // the reader is now waiting on the poller
                c.close();
                String m = reader.join();
                assertThrows(SocketClosedException.class, () -> c.recv(10), "recv on a closed socket");
                assertThrows(SocketClosedException.class, () -> c.sendAll(new byte[1]), "send on a closed socket");
                return m;
            }
        });
        assertTrue(msg.contains("closed by coro") && msg.contains("while this coro waited"), msg);
    }

    @Test
    public void net_closingASocketWakesTheCoroBlockedWritingIt() {
        run(() -> {
            try (CoroServerSocket server = CoroServerSocket.bind(LOOPBACK_ANY_PORT);
                 CoroSocket c = CoroSocket.connectTo(server.localAddress());
                 CoroSocket peer = server.accept()) {
                // Nobody reads the peer: the writer fills both buffers and waits for writability.
                Coro<Object> writer = Coro.spawn("writer", () ->
                        assertThrows(SocketClosedException.class, () -> c.sendAll(new byte[64 << 20])));
                Coro.yieldSlice();
                c.close();
                writer.join();
            }
            return null;
        });
    }

    @Test
    public void net_closingFromAnotherThreadWakesTheWaiter() {
        run(() -> {
            try (CoroServerSocket server = echoServer(); CoroSocket c = CoroSocket.connectTo(server.localAddress())) {
                Coro<Object> reader = Coro.spawn(() -> assertThrows(SocketClosedException.class, () -> c.recv(1)));
                Coro.yieldSlice();
                Thread t = Thread.ofPlatform().start(c::close);
                reader.join();
                Coro.blocking(() -> {
                    t.join();
                    return null;
                });
            }
            return null;
        });
    }

    @Test
    public void net_aSecondReaderIsRefusedAndTheFirstKeepsItsWait() {
        run(() -> {
            try (CoroServerSocket server = echoServer(); CoroSocket c = CoroSocket.connectTo(server.localAddress())) {
                Coro<byte[]> first = Coro.spawn("first-reader", () -> c.recvExact(3));
                Coro.yieldSlice();
                SimultaneousUseException e = assertThrows(SimultaneousUseException.class, () -> c.recv(3));
                assertTrue(e.getMessage().contains("first-reader"), e.getMessage());
                c.sendAll("abc".getBytes()); // writing while another coro reads is fine
                assertArrayEquals("abc".getBytes(), first.join());
            }
            return null;
        });
    }

    @Test
    public void net_aRecvTimeoutLeavesTheSocketUsable() {
        run(() -> {
            try (CoroServerSocket server = echoServer(); CoroSocket c = CoroSocket.connectTo(server.localAddress())) {
                c.setTimeout(Duration.ofMillis(20));
                CoroTimeoutException e = assertThrows(CoroTimeoutException.class, () -> c.recv(10));
                assertTrue(e.getMessage().contains("recv"), e.getMessage());
                c.setTimeout(null);
                c.sendAll("after".getBytes());
                assertArrayEquals("after".getBytes(), c.recvExact(5));
                // The same through Coro.withTimeout around the call.
                assertThrows(CoroTimeoutException.class, () -> Coro.withTimeout(Duration.ofMillis(5), () -> c.recv(1)));
                c.sendAll("x".getBytes());
                assertArrayEquals("x".getBytes(), c.recv(1));
            }
            return null;
        });
    }

    @Test
    public void net_anAcceptTimeoutAndAnInterruptLeaveTheServerUsable() {
        run(() -> {
            try (CoroServerSocket server = CoroServerSocket.bind(LOOPBACK_ANY_PORT)) {
                server.setTimeout(Duration.ofMillis(10));
                assertThrows(CoroTimeoutException.class, server::accept);
                server.setTimeout(null);
                Coro<Object> acceptor = Coro.spawn(() -> assertThrows(CoroInterruptedException.class, server::accept));
                Coro.yieldSlice();
                acceptor.interrupt("stop");
                acceptor.join();
                try (CoroSocket c = CoroSocket.connectTo(server.localAddress()); CoroSocket s = server.accept()) {
                    s.sendAll(new byte[]{7});
                    assertEquals(7, c.recvExact(1)[0]);
                }
            }
            return null;
        });
    }

    @Test
    public void net_anInterruptedRecvLosesNoData() {
        run(() -> {
            try (CoroServerSocket server = echoServer(); CoroSocket c = CoroSocket.connectTo(server.localAddress())) {
                Coro<Object> reader = Coro.spawn(() -> assertThrows(CoroInterruptedException.class, () -> c.recv(4)));
                Coro.yieldSlice();
                reader.interrupt("enough");
                reader.join();
                c.sendAll("data".getBytes());
                assertArrayEquals("data".getBytes(), c.recvExact(4));
            }
            return null;
        });
    }

    @Test
    public void net_aRefusedConnectNamesTheAddressAndLeavesNothingOpen() {
        run(() -> {
            InetSocketAddress closedPort;
            try (CoroServerSocket s = CoroServerSocket.bind(LOOPBACK_ANY_PORT)) {
                closedPort = (InetSocketAddress) s.localAddress(); // free again once closed
            }
            ConnectException e = assertThrows(ConnectException.class, () -> CoroSocket.connectTo(closedPort));
            assertTrue(e.getMessage().contains(String.valueOf(closedPort.getPort())), e.getMessage());
            CoroSocket s = CoroSocket.open(StandardProtocolFamily.INET);
            assertThrows(ConnectException.class, () -> s.connect(closedPort));
            assertFalse(s.isOpen(), "a failed connect closes the socket");
            return null;
        });
    }

    @Test
    public void net_aConnectTimeoutClosesTheSocket() {
        run(() -> {
            // A full backlog on a server that never accepts: Linux drops further SYNs, so connects hang.
            try (CoroServerSocket server = CoroServerSocket.bind(LOOPBACK_ANY_PORT, 1)) {
                java.util.List<CoroSocket> filled = new java.util.ArrayList<>();
                try {
                    CoroSocket timedOut = null;
                    for (int i = 0; i < 16 && timedOut == null; i++) {
                        CoroSocket s = CoroSocket.open(StandardProtocolFamily.INET);
                        try {
                            s.connect(server.localAddress(), Duration.ofMillis(100));
                            filled.add(s);
                        } catch (CoroTimeoutException e) {
                            assertTrue(e.getMessage().contains("connect"), e.getMessage());
                            timedOut = s;
                        }
                    }
                    if (timedOut == null) {
                        org.junit.jupiter.api.Assumptions.abort("this kernel completed 16 connects to a backlog of 1");
                    }
                    assertFalse(timedOut.isOpen(), "a timed-out connect closes the socket");
                } finally {
                    filled.forEach(CoroSocket::close);
                }
            }
            return null;
        });
    }

    @Test
    public void reliability_aPeerResetFailsOnlyTheCoroUsingThatSocket() {
        run(() -> {
            try (CoroServerSocket server = CoroServerSocket.bind(LOOPBACK_ANY_PORT);
                 CoroSocket a = CoroSocket.connectTo(server.localAddress());
                 CoroSocket aPeer = server.accept();
                 CoroSocket b = CoroSocket.connectTo(server.localAddress());
                 CoroSocket bPeer = server.accept()) {
                Coro<Object> victim = Coro.spawn("victim", () -> {
                    try {
                        return aPeer.recv(10).length == 0 ? "the end of the stream" : "data";
                    } catch (SocketException e) {
                        return e;
                    }
                });
                Coro<byte[]> bystander = Coro.spawn("bystander", () -> bPeer.recvExact(2));
                Coro.yieldSlice();
                a.setOption(StandardSocketOptions.SO_LINGER, 0); // close sends RST
                a.close();
                Object outcome = victim.join();
                SocketException e = assertInstanceOf(SocketException.class, outcome, "what the victim's recv met");
                assertTrue(e.getMessage().toLowerCase().contains("reset"), e.getMessage());
                b.sendAll("ok".getBytes());
                assertArrayEquals("ok".getBytes(), bystander.join());
            }
            return null;
        });
    }

    @Test
    public void net_halfCloseLetsThePeerReadEofAndStillReply() {
        run(() -> {
            try (CoroServerSocket server = CoroServerSocket.bind(LOOPBACK_ANY_PORT);
                 CoroSocket c = CoroSocket.connectTo(server.localAddress());
                 CoroSocket s = server.accept()) {
                c.sendAll("question".getBytes());
                c.shutdownOutput();
                assertArrayEquals("question".getBytes(), s.recvExact(8));
                assertEquals(0, s.recv(10).length, "the end of the stream");
                assertEquals(-1, s.recvInto(ByteBuffer.allocate(1)));
                s.sendAll("answer".getBytes());
                assertArrayEquals("answer".getBytes(), c.recvExact(6));
            }
            return null;
        });
    }

    @Test
    public void net_recvExactReportsThePartialBytesAtEof() {
        run(() -> {
            try (CoroServerSocket server = CoroServerSocket.bind(LOOPBACK_ANY_PORT);
                 CoroSocket c = CoroSocket.connectTo(server.localAddress());
                 CoroSocket s = server.accept()) {
                c.sendAll("abc".getBytes());
                c.shutdownOutput();
                PrematureEofException e = assertThrows(PrematureEofException.class, () -> s.recvExact(10));
                assertArrayEquals("abc".getBytes(), e.received());
                assertEquals(10, e.wanted());
                assertTrue(e.getMessage().contains("3 of 10"), e.getMessage());
            }
            return null;
        });
    }

    @Test
    public void reliability_badArgumentsGetSpecificExceptions() throws IOException {
        run(() -> {
            try (CoroServerSocket server = echoServer(); CoroSocket c = CoroSocket.connectTo(server.localAddress())) {
                assertThrows(IllegalArgumentException.class, () -> c.recv(0));
                assertThrows(IllegalArgumentException.class, () -> c.recv(-1));
                assertThrows(IllegalArgumentException.class, () -> c.recvExact(-1));
                assertThrows(NullPointerException.class, () -> c.sendAll((byte[]) null));
                assertThrows(NullPointerException.class, () -> c.recvInto(null));
                assertThrows(NullPointerException.class, () -> c.writev(ByteBuffer.allocate(1), null));
                assertThrows(IllegalArgumentException.class, () -> c.setTimeout(Duration.ofSeconds(-1)));
                assertThrows(NullPointerException.class, () -> CoroSocket.connectTo(null));
                assertThrows(IllegalArgumentException.class,
                        () -> CoroSocket.connectTo(InetSocketAddress.createUnresolved("example.invalid", 1)));
                assertEquals(0, c.recvExact(0).length);
                assertEquals(0, c.send(new byte[0]));
            }
            return null;
        });
        // Outside any coro: the socket can be made and closed, but not waited on.
        try (CoroSocket s = CoroSocket.open(StandardProtocolFamily.INET)) {
            NotInCoroException e = assertThrows(NotInCoroException.class, () -> s.recv(1));
            assertTrue(e.getMessage().contains("recv"), e.getMessage());
        }
    }
}
