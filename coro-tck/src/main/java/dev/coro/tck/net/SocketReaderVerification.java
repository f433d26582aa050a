package dev.coro.tck.net;

import dev.coro.Coro;
import dev.coro.CoroExecutionException;
import dev.coro.CoroInterruptedException;
import dev.coro.CoroTimeoutException;
import dev.coro.NotInCoroException;
import dev.coro.net.ConnectionResetException;
import dev.coro.net.CoroServerSocket;
import dev.coro.net.CoroSocket;
import dev.coro.net.CoroSocketReader;
import dev.coro.net.LineTooLongException;
import dev.coro.net.PrematureEofException;
import dev.coro.net.SimultaneousUseException;
import dev.coro.net.SocketClosedException;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link CoroSocketReader} over real loopback sockets (issue 10): lines, delimited records and exact
 * counts under randomized chunking of the peer's writes (fixed seeds), the line bound, timeouts and
 * interrupts that lose no buffered byte, the {@code InputStream}/{@code OutputStream} contracts and
 * bad input.
 */
public abstract class SocketReaderVerification extends SocketVerificationBase {

    /** One step of a conversation: what the peer writes, and what the reader must get back for it. */
    private sealed interface Step permits Line, Record, Exact {
    }

    private record Line(String text, String end) implements Step {
    }

    private record Record(byte[] content) implements Step {
    }

    private record Exact(byte[] bytes) implements Step {
    }

    @Test
    public void net_linesRecordsAndExactCountsSurviveRandomChunkingWith1_2And20ByteDelimiters() {
        List<byte[]> delimiters = List.of("|".getBytes(StandardCharsets.US_ASCII), "\r\n".getBytes(StandardCharsets.US_ASCII),
                "--ab-ab-aab-boundary".getBytes(StandardCharsets.US_ASCII));
        assertEquals(20, delimiters.get(2).length);
        for (int k = 0; k < delimiters.size(); k++) {
            byte[] delimiter = delimiters.get(k);
            for (long seed = 1; seed <= 3; seed++) {
                Random rnd = new Random(seed * 31 + k);
                List<Step> steps = conversation(rnd, delimiter, 300);
                byte[] wire = serialize(steps, delimiter);
                String where = "delimiter " + delimiter.length + " bytes, seed " + seed;
                run(() -> {
                    try (CoroServerSocket server = CoroServerSocket.bind(LOOPBACK_ANY_PORT);
                         CoroSocket writer = CoroSocket.connectTo(server.localAddress());
                         CoroSocket socket = server.accept()) {
                        writer.setNoDelay(true);
                        Coro.spawn("chunked writer", () -> {
                            for (int at = 0; at < wire.length; ) {
                                // Chunks up to twice the delimiter: delimiters, "\r\n" and UTF-8 sequences get split.
                                int n = Math.min(wire.length - at, 1 + rnd.nextInt(Math.max(8, 2 * delimiter.length)));
                                writer.sendAll(Arrays.copyOfRange(wire, at, at + n));
                                at += n;
                                Coro.yieldSlice(); // the reader reads this chunk before the next is sent
                            }
                            writer.shutdownOutput();
                            return null;
                        });
                        CoroSocketReader r = socket.reader(200);
                        for (int i = 0; i < steps.size(); i++) {
                            String at = where + ", step " + i;
                            switch (steps.get(i)) {
                                case Line l -> assertEquals(l.text(), r.readLine(), at);
                                case Record rec -> assertArrayEquals(concat(rec.content(), delimiter), r.readUntil(delimiter), at);
                                case Exact e -> assertArrayEquals(e.bytes(), r.readExact(e.bytes().length), at);
                            }
                        }
                        // The unterminated tail: a last line, then the end of the stream everywhere.
                        assertEquals("tail without a line end", r.readLine(), where);
                        assertNull(r.readLine(), where);
                        assertNull(r.readUntil(delimiter), where);
                        assertEquals(-1, r.inputStream().read(), where);
                    }
                    return null;
                });
            }
        }
    }

    /** Random steps; record contents are full of delimiter prefixes, yet hold no whole delimiter. */
    private static List<Step> conversation(Random rnd, byte[] delimiter, int count) {
        String[] pieces = {"a", "b", "-", "é", "€", "\uD83D\uDE00", " ", "x\ry", "line"};
        List<Step> steps = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            switch (rnd.nextInt(3)) {
                case 0 -> {
                    StringBuilder sb = new StringBuilder();
                    for (int n = rnd.nextInt(12); n > 0; n--) {
                        sb.append(pieces[rnd.nextInt(pieces.length)]);
                    }
                    steps.add(new Line(sb.toString(), rnd.nextBoolean() ? "\n" : "\r\n"));
                }
                case 1 -> {
                    byte[] content;
                    do {
                        ByteArrayOutputStream b = new ByteArrayOutputStream();
                        for (int n = rnd.nextInt(10); n > 0; n--) {
                            if (rnd.nextBoolean()) {
                                b.write(delimiter, 0, rnd.nextInt(delimiter.length)); // a partial delimiter
                            } else {
                                b.write('a' + rnd.nextInt(3));
                            }
                        }
                        content = b.toByteArray();
                    } while (indexOf(concat(content, delimiter), delimiter) != content.length);
                    steps.add(new Record(content));
                }
                default -> {
                    byte[] bytes = new byte[rnd.nextInt(40)];
                    rnd.nextBytes(bytes);
                    steps.add(new Exact(bytes));
                }
            }
        }
        return steps;
    }

    private static byte[] serialize(List<Step> steps, byte[] delimiter) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Step s : steps) {
            switch (s) {
                case Line l -> out.writeBytes((l.text() + l.end()).getBytes(StandardCharsets.UTF_8));
                case Record r -> out.writeBytes(concat(r.content(), delimiter));
                case Exact e -> out.writeBytes(e.bytes());
            }
        }
        out.writeBytes("tail without a line end".getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    @Test
    public void net_aLineOverMaxLineFailsOnceTheBoundIsReachedAndItsBytesStayBuffered() {
        run(() -> {
            try (CoroServerSocket server = CoroServerSocket.bind(LOOPBACK_ANY_PORT);
                 CoroSocket peer = CoroSocket.connectTo(server.localAddress());
                 CoroSocket socket = server.accept()) {
                CoroSocketReader r = socket.reader(16);
                byte[] sixteen = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
                peer.sendAll(concat(sixteen, "\n".getBytes()));
                peer.sendAll(concat(sixteen, "\r\n".getBytes()));
                assertEquals("0123456789abcdef", r.readLine(), "exactly maxLine, \\n");
                assertEquals("0123456789abcdef", r.readLine(), "exactly maxLine, \\r\\n");
                peer.sendAll(concat(sixteen, "x\n".getBytes()));
                LineTooLongException e = assertThrows(LineTooLongException.class, r::readLine);
                assertEquals(16, e.maxLine());
                assertTrue(e.getMessage().contains("no line end within 16 bytes"), e.getMessage());
                assertArrayEquals(concat(sixteen, "x\n".getBytes()), r.readExact(18), "the bytes stayed buffered");

                // A peer that never sends a line end: the reader fails without holding more than maxLine + a chunk.
                Coro<Integer> flood = Coro.spawn("flood", () -> peer.sendAll(new byte[4 << 20]));
                assertThrows(LineTooLongException.class, () -> r.readUntil("\n".getBytes()));
                assertTrue(r.buffered() <= 16 + 8192, "buffered " + r.buffered());
                assertThrows(LineTooLongException.class, r::readLine, "still no line end");
                socket.close(); // with unread bytes: a reset, which the flood's writer gets
                CoroExecutionException reset = assertThrows(CoroExecutionException.class, flood::join);
                assertTrue(reset.getCause() instanceof ConnectionResetException, String.valueOf(reset.getCause()));
            }
            return null;
        });
    }

    @Test
    public void net_aTimeoutOrInterruptMidLineKeepsWhatWasReadForTheNextCall() {
        run(() -> {
            try (CoroServerSocket server = CoroServerSocket.bind(LOOPBACK_ANY_PORT);
                 CoroSocket peer = CoroSocket.connectTo(server.localAddress());
                 CoroSocket socket = server.accept()) {
                CoroSocketReader r = socket.reader(16);
                peer.sendAll("hel".getBytes());
                assertThrows(CoroTimeoutException.class, () -> Coro.withTimeout(Duration.ofMillis(20), () -> r.readLine()));
                assertEquals(3, r.buffered());
                socket.setTimeout(Duration.ofMillis(20)); // the socket's own per-wait timeout
                peer.sendAll("lo".getBytes());
                assertThrows(CoroTimeoutException.class, () -> r.readUntil("\n".getBytes()));
                socket.setTimeout(null);
                Coro<String> reader = Coro.spawn("reader", () -> {
                    try {
                        return r.readLine();
                    } catch (CoroInterruptedException e) {
                        return "interrupted: " + e.value();
                    }
                });
                Coro.yieldSlice();
                reader.interrupt("stop");
                assertEquals("interrupted: stop", reader.join());
                peer.sendAll(" world\n".getBytes());
                assertEquals("hello world", r.readLine());

                // readExact above the buffer's bound reads into its result; a timeout keeps those bytes too.
                byte[] big = new byte[3 * (16 + 8192)];
                new Random(7).nextBytes(big);
                peer.sendAll(Arrays.copyOf(big, big.length / 2));
                assertThrows(CoroTimeoutException.class, () -> Coro.withTimeout(Duration.ofMillis(20), () -> r.readExact(big.length)));
                assertEquals(big.length / 2, r.buffered());
                peer.sendAll(Arrays.copyOfRange(big, big.length / 2, big.length));
                assertArrayEquals(big, r.readExact(big.length));
                peer.sendAll("after\n".getBytes());
                assertEquals("after", r.readLine(), "the reader goes on with its normal buffer");
            }
            return null;
        });
    }

    @Test
    public void net_theStreamsKeepTheirContracts() {
        run(() -> {
            try (CoroServerSocket server = CoroServerSocket.bind(LOOPBACK_ANY_PORT);
                 CoroSocket peer = CoroSocket.connectTo(server.localAddress());
                 CoroSocket socket = server.accept()) {
                CoroSocketReader r = socket.reader();
                InputStream in = r.inputStream();
                OutputStream out = peer.outputStream();
                assertSame(in, r.inputStream());
                assertSame(r, socket.reader(CoroSocketReader.DEFAULT_MAX_LINE));
                byte[] b = new byte[10];
                assertEquals(0, in.read(b, 3, 0), "len 0 reads nothing and does not wait");
                assertThrows(IndexOutOfBoundsException.class, () -> in.read(b, 8, 3));
                assertThrows(NullPointerException.class, () -> in.read(null, 0, 1));
                out.write('L');
                out.write("ine\nrest".getBytes(), 0, 8);
                out.flush();
                assertEquals('L', in.read());
                assertEquals("ine", r.readLine(), "the stream and the reader share one buffer");
                assertEquals(4, in.read(b, 0, 10), "what is there, without waiting for more");
                assertEquals("rest", new String(b, 0, 4));
                assertEquals(0, in.available());

                byte[] bulk = new byte[100_000]; // reads of >= a chunk bypass the buffer
                new Random(3).nextBytes(bulk);
                Coro.spawn("bulk writer", () -> {
                    out.write(bulk);
                    peer.shutdownOutput();
                    return null;
                });
                assertArrayEquals(bulk, in.readAllBytes());
                assertEquals(-1, in.read());
                assertEquals(-1, in.read(b, 0, 10), "-1 again at the end");
                assertEquals(0, in.read(b, 0, 0));
                in.close();
                assertFalse(socket.isOpen(), "closing the input stream closes the socket");
                assertThrows(SocketClosedException.class, in::read);
                assertThrows(SocketClosedException.class, in::available);
                out.close();
                assertFalse(peer.isOpen(), "closing the output stream closes the socket");
                assertThrows(SocketClosedException.class, () -> out.write(1));
            }
            return null;
        });
    }

    @Test
    public void net_theEndOfTheStreamAndBadInputGetSpecificExceptions() {
        run(() -> {
            try (CoroServerSocket server = CoroServerSocket.bind(LOOPBACK_ANY_PORT);
                 CoroSocket peer = CoroSocket.connectTo(server.localAddress());
                 CoroSocket socket = server.accept()) {
                assertThrows(IllegalArgumentException.class, () -> socket.reader(0));
                CoroSocketReader r = socket.reader(64);
                IllegalStateException other = assertThrows(IllegalStateException.class, () -> socket.reader(65));
                assertTrue(other.getMessage().contains("already has one with maxLine 64"), other.getMessage());
                assertThrows(IllegalArgumentException.class, () -> r.readUntil(new byte[0]));
                assertThrows(IllegalArgumentException.class, () -> r.readExact(-1));
                IllegalArgumentException utf16 = assertThrows(IllegalArgumentException.class,
                        () -> r.readLine(StandardCharsets.UTF_16));
                assertTrue(utf16.getMessage().contains("UTF-16"), utf16.getMessage());
                NotInCoroException outside = assertThrows(NotInCoroException.class,
                        () -> Coro.blocking(() -> r.readLine()));
                assertTrue(outside.getMessage().contains("readLine"), outside.getMessage());

                Coro<String> first = Coro.spawn("first", () -> r.readLine());
                Coro.yieldSlice(); // first waits inside readLine
                SimultaneousUseException twice = assertThrows(SimultaneousUseException.class, () -> r.readExact(1));
                assertTrue(twice.getMessage().contains("'first'"), twice.getMessage());
                peer.sendAll("one\nab".getBytes());
                assertEquals("one", first.join());
                peer.shutdownOutput();
                PrematureEofException eof = assertThrows(PrematureEofException.class, () -> r.readExact(5));
                assertArrayEquals("ab".getBytes(), eof.received());
                assertEquals(5, eof.wanted());
                assertNull(r.readLine());
            }
            return null;
        });
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    private static int indexOf(byte[] a, byte[] d) {
        outer:
        for (int i = 0; i + d.length <= a.length; i++) {
            for (int j = 0; j < d.length; j++) {
                if (a[i + j] != d[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
