package dev.coro.tck.net;

import dev.coro.Coro;
import dev.coro.CoroExecutionException;
import dev.coro.net.ConnectionResetException;
import dev.coro.net.CoroServerSocket;
import dev.coro.net.CoroSocket;
import dev.coro.net.CoroSocketReader;
import dev.coro.tck.LogCapture;
import org.junit.jupiter.api.Test;

import java.net.SocketException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.LogRecord;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 10: a peer's reset (its close with {@code SO_LINGER} 0, for real over loopback) reaches the
 * coro as {@link ConnectionResetException} on every read and write path, and a coro it ends is one
 * WARNING line, not a stack. The read and write paths meet a reset that is already there (the I/O,
 * tried first, sees it); the WARNING check meets one that arrives while the coro waits on the
 * poller (which must hand the socket's error to the waiter, or let its retried read meet it).
 */
public abstract class ResetVerification extends SocketVerificationBase {

    /** Connects a pair, lets {@code victim} see the peer's reset, and returns what it threw. */
    private Throwable afterReset(VictimBody victim) {
        return run(() -> {
            try (CoroServerSocket server = CoroServerSocket.bind(LOOPBACK_ANY_PORT)) {
                // A plain blocking channel, connected on a worker thread: one no selector ever knew is
                // closed at once (the JDK defers closing a registered one to the selector's next select),
                // so the RST has reached the accepted socket when close returns (loopback delivers it).
                SocketChannel peer = Coro.blocking(() -> SocketChannel.open(server.localAddress()));
                try (CoroSocket socket = server.accept()) {
                    peer.setOption(StandardSocketOptions.SO_LINGER, 0);
                    peer.close();
                    return assertThrows(SocketException.class, () -> victim.use(socket));
                } finally {
                    peer.close();
                }
            }
        });
    }

    @FunctionalInterface
    private interface VictimBody {
        void use(CoroSocket s) throws Exception;
    }

    private static void assertReset(Throwable t, String op) {
        ConnectionResetException e = assertInstanceOf(ConnectionResetException.class, t);
        assertTrue(e.getMessage().startsWith(op + " on CoroSocket[") && e.getMessage().contains("the peer reset the connection"),
                e.getMessage());
        assertTrue(e.getCause() != null && e.getCause().getMessage().matches("Connection reset( by peer)?|Broken pipe"),
                String.valueOf(e.getCause()));
    }

    @Test
    public void net_everyReadPathRaisesConnectionReset() {
        assertReset(afterReset(s -> s.recv(10)), "recv");
        assertReset(afterReset(s -> s.recvExact(10)), "recvExact");
        assertReset(afterReset(s -> s.recvInto(ByteBuffer.allocate(10))), "recvInto");
        assertReset(afterReset(s -> s.readv(ByteBuffer.allocate(4), ByteBuffer.allocate(4))), "readv");
        assertReset(afterReset(s -> s.reader().readLine()), "recvInto");
    }

    @Test
    public void net_everyWritePathRaisesConnectionReset() {
        // The first write after the RST fails (ECONNRESET, then EPIPE); a few tries cover a kernel that takes two.
        assertReset(afterReset(s -> {
            for (int i = 0; i < 3; i++) {
                s.sendAll(new byte[]{1});
            }
        }), "sendAll");
        assertReset(afterReset(s -> {
            for (int i = 0; i < 3; i++) {
                s.send(new byte[]{1});
            }
        }), "send");
        assertReset(afterReset(s -> {
            for (int i = 0; i < 3; i++) {
                s.writev(ByteBuffer.wrap(new byte[]{1}), ByteBuffer.wrap(new byte[]{2}));
            }
        }), "writev");
        assertReset(afterReset(s -> {
            for (int i = 0; i < 3; i++) {
                s.outputStream().write(1);
            }
        }), "sendAll");
    }

    /** The README's echo pattern without a catch: the reset ends that coro as one WARNING record without a stack. */
    @Test
    public void net_aCoroEndedByAResetIsOneWarningRecordWithoutAStack() {
        List<LogRecord> records = LogCapture.during("dev.coro.scheduler", () -> run(() -> {
                try (CoroServerSocket server = CoroServerSocket.bind(LOOPBACK_ANY_PORT);
                     CoroSocket peer = CoroSocket.connectTo(server.localAddress());
                     CoroSocket socket = server.accept()) {
                    Coro<Void> echo = Coro.spawn("echo-without-catch", () -> echo(socket));
                    Coro.yieldSlice(); // it waits in recv
                    peer.setOption(StandardSocketOptions.SO_LINGER, 0);
                    peer.close();
                    Throwable ended = null;
                    try {
                        echo.join();
                    } catch (CoroExecutionException e) {
                        ended = e.getCause();
                    }
                    assertInstanceOf(ConnectionResetException.class, ended, "what ended the echo coro");
                }
                return null;
            }));
        List<LogRecord> ours = records.stream().filter(r -> r.getMessage().contains("'echo-without-catch'")).toList();
        assertEquals(1, ours.size(), ours.toString());
        LogRecord r = ours.getFirst();
        assertEquals(Level.WARNING, r.getLevel());
        assertNull(r.getThrown(), "no stack at WARNING");
        assertTrue(r.getMessage().matches("coro #\\d+ 'echo-without-catch' ended by dev\\.coro\\.net\\.ConnectionResetException: "
                + "recv on CoroSocket\\[.*\\]: the peer reset the connection \\(Connection reset( by peer)?\\)"), r.getMessage());
    }

    @Test
    public void net_aReaderKeepsNoStateThatOutlivesTheReset() {
        Throwable t = afterReset(s -> {
            CoroSocketReader r = s.reader(64);
            try {
                r.readLine();
            } catch (ConnectionResetException first) {
                assertEquals(0, r.buffered());
                r.readExact(1); // the JDK remembers the reset: a second read fails the same way
            }
        });
        assertReset(t, "recvInto");
    }
}
