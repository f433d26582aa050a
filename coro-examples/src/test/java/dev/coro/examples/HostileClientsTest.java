package dev.coro.examples;

import dev.coro.Coro;
import dev.coro.CoroTimeoutException;
import dev.coro.Scheduler;
import dev.coro.net.CoroServerSocket;
import dev.coro.net.CoroSocket;
import dev.coro.net.CoroSocketReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Hostile clients against the examples (issue 15): 64 KiB lines, binary garbage, and a client that
 * never reads, which must cost the server at most the documented bounds and be dropped after the
 * write timeout (configured small here: 300 ms). The drop is awaited by joining the server's coro,
 * never by sleeping; elapsed time is only checked from below (nothing is dropped early). Fixed seeds.
 */
@ParameterizedClass
@ValueSource(strings = {"native", "loom"})
class HostileClientsTest {
    @org.junit.jupiter.params.Parameter
    String switcher;

    private static final InetSocketAddress LOOPBACK = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    private static final Duration WRITE_TIMEOUT = Duration.ofMillis(300);
    /** Small kernel buffers on every side of a never-reading connection, so that its total is a bound. */
    private static final int SOCKET_BUFFER = 16 * 1024;

    @Test
    void theEchoServerEchoesA64KiBLineAndBinaryGarbageIntact() {
        run(() -> {
            try (CoroServerSocket server = CoroServerSocket.bind(LOOPBACK);
                 CoroSocket client = CoroSocket.connectTo(server.localAddress());
                 CoroSocket conn = server.accept()) {
                Coro<Void> serving = Coro.spawn("echo serve", () -> EchoServer.serve(conn, WRITE_TIMEOUT));
                byte[] longLine = new byte[64 * 1024 + 1];
                Arrays.fill(longLine, (byte) 'x');
                longLine[longLine.length - 1] = '\n';
                byte[] garbage = new byte[100_000];
                new SplittableRandom(15).nextBytes(garbage);
                for (byte[] message : List.of(longLine, garbage)) {
                    Coro<Integer> sender = Coro.spawn("sender", () -> client.sendAll(message)); // the echo comes meanwhile
                    assertArrayEquals(message, client.recvExact(message.length));
                    assertEquals(message.length, sender.join());
                }
                client.shutdownOutput();
                assertEquals(0, client.recv(1).length, "the server closes after the client's end of stream");
                serving.join();
            }
            return null;
        });
    }

    @Test
    void anEchoClientThatNeverReadsIsHeldToOneBufferAndDroppedAfterTheWriteTimeout() {
        run(() -> {
            try (CoroServerSocket server = CoroServerSocket.bind(LOOPBACK)) {
                server.setOption(StandardSocketOptions.SO_RCVBUF, SOCKET_BUFFER); // accepted sockets inherit it
                // What the kernel alone takes from a client whose peer reads nothing, each way, with these buffers.
                long kernelOneWay;
                try (CoroSocket client = smallBuffers(server); CoroSocket conn = server.accept()) {
                    conn.setSendBufferSize(SOCKET_BUFFER);
                    client.setTimeout(Duration.ofMillis(200)); // only ends the wait: nothing reads, so a stall is final
                    ByteBuffer fill = ByteBuffer.allocate(64 << 20);
                    try {
                        while (fill.hasRemaining()) {
                            client.send(fill);
                        }
                    } catch (CoroTimeoutException stalled) {
                        // what it took is what the kernel holds
                    }
                    assertTrue(fill.hasRemaining(), "a peer that reads nothing took 64 MiB");
                    kernelOneWay = fill.position();
                }
                CoroSocket client = smallBuffers(server);
                try (client; CoroSocket conn = server.accept()) {
                    conn.setSendBufferSize(SOCKET_BUFFER);
                    long start = System.nanoTime();
                    Coro<Void> serving = Coro.spawn("echo serve", () -> EchoServer.serve(conn, WRITE_TIMEOUT));
                    ByteBuffer flood = ByteBuffer.allocate(64 << 20); // 64 MiB it will never be able to send
                    try {
                        while (flood.hasRemaining()) {
                            client.send(flood); // waits while the server does not read; never reads the echo
                        }
                    } catch (SocketException dropped) {
                        // the server closed it with data unread: a reset or a broken pipe
                    }
                    serving.join(Duration.ofSeconds(30));
                    long elapsed = System.nanoTime() - start;
                    assertTrue(elapsed >= WRITE_TIMEOUT.toNanos(), "dropped after " + elapsed + " ns, before the timeout");
                    // Both ways hold what one way held with no reader, give or take one 64 KiB segment each.
                    long bound = 2 * (kernelOneWay + 64 * 1024) + EchoServer.BUFFER;
                    long taken = flood.position();
                    assertTrue(taken <= bound, "the server took " + taken + " bytes from a client that reads none of"
                            + " the echo; the kernel holds about " + kernelOneWay + " each way, the server at most "
                            + EchoServer.BUFFER);
                }
            }
            return null;
        });
    }

    @Test
    void aChatClientThatNeverReadsCostsAtMostItsOutboxAndIsDroppedAfterTheWriteTimeout() {
        ChatServer chat = new ChatServer(WRITE_TIMEOUT);
        run(() -> {
            try (CoroServerSocket server = CoroServerSocket.bind(LOOPBACK)) {
                Coro<Void> acceptor = Coro.spawn("chat acceptor", () -> chat.acceptLoop(server));
                try (CoroSocket talker = CoroSocket.connectTo(server.localAddress())) {
                    CoroSocketReader in = talker.reader();
                    assertEquals("welcome, guest1; 1 here", in.readLine());
                    CoroSocket deaf = CoroSocket.open(StandardProtocolFamily.INET);
                    deaf.setReceiveBufferSize(SOCKET_BUFFER);
                    deaf.connect(server.localAddress());
                    try (deaf) {
                        assertEquals("* guest2 joined", in.readLine());
                        long start = System.nanoTime();
                        byte[] line = new byte[ChatServer.MAX_LINE + 1];
                        Arrays.fill(line, (byte) 'y');
                        line[line.length - 1] = '\n';
                        for (int i = 0; i < 2_000; i++) { // 2 MB for the deaf client, 30x its outbox and kernel buffers
                            talker.sendAll(line);
                        }
                        assertEquals("* guest2 left (not reading: dropped after " + WRITE_TIMEOUT.toMillis() + " ms)",
                                in.readLine());
                        long elapsed = System.nanoTime() - start;
                        assertTrue(elapsed >= WRITE_TIMEOUT.toNanos(), "dropped after " + elapsed + " ns, before the timeout");
                    }
                    assertTrue(chat.peakOutboxBytes() <= ChatServer.OUTBOX_BYTES, "an outbox held "
                            + chat.peakOutboxBytes() + " bytes, more than its bound " + ChatServer.OUTBOX_BYTES);
                    assertTrue(chat.peakOutboxBytes() > ChatServer.OUTBOX_BYTES - 2 * ChatServer.MAX_LINE,
                            "the deaf client's outbox filled up: " + chat.peakOutboxBytes());
                    assertTrue(chat.droppedLines() > 0, "lines that did not fit were dropped");
                    talker.sendAll("still here\n".getBytes(StandardCharsets.UTF_8));
                    try (CoroSocket late = CoroSocket.connectTo(server.localAddress())) {
                        assertEquals("welcome, guest3; 2 here", late.reader().readLine(), "the room goes on");
                    }
                }
                acceptor.shutdown();
            }
            return null;
        });
    }

    @Test
    void aChatLineOf64KiBDisconnectsOnlyItsSender() {
        run(() -> {
            try (CoroServerSocket server = CoroServerSocket.bind(LOOPBACK)) {
                Coro<Void> acceptor = Coro.spawn("chat acceptor", () -> new ChatServer(WRITE_TIMEOUT).acceptLoop(server));
                try (CoroSocket a = CoroSocket.connectTo(server.localAddress())) {
                    CoroSocketReader ra = a.reader();
                    assertEquals("welcome, guest1; 1 here", ra.readLine());
                    try (CoroSocket b = CoroSocket.connectTo(server.localAddress())) {
                        CoroSocketReader rb = b.reader();
                        assertEquals("welcome, guest2; 2 here", rb.readLine());
                        assertEquals("* guest2 joined", ra.readLine());
                        byte[] line = new byte[64 * 1024 + 1];
                        Arrays.fill(line, (byte) 'z');
                        line[line.length - 1] = '\n';
                        Coro.spawn("64 KiB sender", () -> {
                            try {
                                b.sendAll(line);
                            } catch (SocketException cutOff) {
                                // the server hung up on the rest of it
                            }
                            return null;
                        });
                        // The goodbye may be lost to the reset that closing with unread bytes sends; the end is not.
                        List<String> seen = linesUntilTheEnd(rb);
                        assertTrue(seen.isEmpty() || seen.equals(List.of("* lines are at most 1024 bytes; bye")),
                                "the sender saw " + seen);
                    }
                    assertEquals("* guest2 left (line over 1024 bytes)", ra.readLine());
                    a.sendAll("/nick alice\n".getBytes(StandardCharsets.UTF_8));
                    try (CoroSocket c = CoroSocket.connectTo(server.localAddress())) {
                        CoroSocketReader rc = c.reader();
                        assertEquals("welcome, guest3; 2 here", rc.readLine(), "the room goes on");
                    }
                }
                acceptor.shutdown();
            }
            return null;
        });
    }

    @Test
    void chatLinesOfBinaryGarbageReachTheOthersAsTheirUtf8Reading() {
        run(() -> {
            try (CoroServerSocket server = CoroServerSocket.bind(LOOPBACK)) {
                Coro<Void> acceptor = Coro.spawn("chat acceptor", () -> new ChatServer(WRITE_TIMEOUT).acceptLoop(server));
                try (CoroSocket a = CoroSocket.connectTo(server.localAddress());
                     CoroSocket b = CoroSocket.connectTo(server.localAddress())) {
                    CoroSocketReader ra = a.reader(), rb = b.reader();
                    assertEquals("welcome, guest1; 1 here", ra.readLine());
                    assertEquals("welcome, guest2; 2 here", rb.readLine());
                    assertEquals("* guest2 joined", ra.readLine());
                    SplittableRandom random = new SplittableRandom(15);
                    List<String> expected = new ArrayList<>();
                    ByteArrayOutputStream garbage = new ByteArrayOutputStream();
                    for (int i = 0; i < 50; i++) { // within the outbox: most bytes read as U+FFFD, 3 bytes in UTF-8
                        byte[] bytes = new byte[random.nextInt(300)];
                        for (int j = 0; j < bytes.length; j++) {
                            int v;
                            do {
                                v = random.nextInt(256);
                            } while (v == '\n' || v == '\r'); // the line ends are ours
                            bytes[j] = (byte) v;
                        }
                        garbage.writeBytes(bytes);
                        garbage.write('\n');
                        expected.add("guest2: " + new String(bytes, StandardCharsets.UTF_8)); // U+FFFD for the malformed
                    }
                    b.sendAll(garbage.toByteArray());
                    for (String line : expected) {
                        assertEquals(line, ra.readLine());
                    }
                    b.sendAll("/nick bob\n".getBytes(StandardCharsets.UTF_8));
                    assertEquals("* guest2 is now bob", ra.readLine(), "the garbage left the sender's connection usable");
                }
                acceptor.shutdown();
            }
            return null;
        });
    }

    /** Lines until the end of the stream or a reset. */
    private static List<String> linesUntilTheEnd(CoroSocketReader in) throws IOException {
        List<String> lines = new ArrayList<>();
        try {
            String line;
            while ((line = in.readLine()) != null) {
                lines.add(line);
            }
        } catch (SocketException reset) {
            // the end, as a reset
        }
        return lines;
    }

    /** A client of {@code server} with small kernel buffers both ways. */
    private static CoroSocket smallBuffers(CoroServerSocket server) throws IOException {
        CoroSocket client = CoroSocket.open(StandardProtocolFamily.INET);
        client.setReceiveBufferSize(SOCKET_BUFFER).setSendBufferSize(SOCKET_BUFFER);
        client.connect(server.localAddress());
        return client;
    }

    /** Runs {@code main} on a scheduler of {@link #switcher}; a test that would hang fails after 60 s instead. */
    private void run(Callable<Void> main) {
        try (Scheduler s = Scheduler.builder().switcher(switcher).poller("nio").build()) {
            s.run(() -> Coro.withTimeout(Duration.ofSeconds(60), main));
        }
    }
}
