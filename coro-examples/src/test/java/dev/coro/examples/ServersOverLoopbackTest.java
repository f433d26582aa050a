package dev.coro.examples;

import dev.coro.Coro;
import dev.coro.Scheduler;
import dev.coro.net.CoroServerSocket;
import dev.coro.net.CoroSocket;
import dev.coro.net.CoroSocketReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The chat and echo servers against line clients over loopback (issue 10): lines split across
 * writes, {@code \r\n} as {@code nc -C} and telnet send it, a line over the bound, and clients that
 * vanish with a reset — which end their connection without a single log record.
 */
@ParameterizedClass
@ValueSource(strings = {"native", "loom"})
class ServersOverLoopbackTest {
    @org.junit.jupiter.params.Parameter
    String switcher;

    private static final InetSocketAddress LOOPBACK = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);

    @Test
    void chatClientsExchangeLinesAndALongLineOrAResetEndsOnlyThatClient() {
        List<LogRecord> logged = capturingLogs(() -> {
            try (CoroServerSocket server = CoroServerSocket.bind(LOOPBACK)) {
                Coro<Void> acceptor = Coro.spawn("chat acceptor", () -> new ChatServer().acceptLoop(server));
                try (CoroSocket a = CoroSocket.connectTo(server.localAddress());
                     CoroSocket b = CoroSocket.connectTo(server.localAddress())) {
                    CoroSocketReader ra = a.reader(), rb = b.reader();
                    assertEquals("welcome, guest1; 1 here", ra.readLine());
                    assertEquals("welcome, guest2; 2 here", rb.readLine());
                    assertEquals("* guest2 joined", ra.readLine());

                    for (String part : new String[]{"hi th", "ere\r", "\n/nick bob\n"}) { // one line over three writes
                        b.sendAll(part.getBytes(StandardCharsets.UTF_8));
                        Coro.yieldSlice();
                    }
                    assertEquals("guest2: hi there", ra.readLine());
                    assertEquals("* guest2 is now bob", ra.readLine());
                    a.outputStream().write("héllo\n".getBytes(StandardCharsets.UTF_8));
                    assertEquals("guest1: héllo", rb.readLine());

                    try (CoroSocket c = CoroSocket.connectTo(server.localAddress())) {
                        CoroSocketReader rc = c.reader();
                        assertEquals("welcome, guest3; 3 here", rc.readLine());
                        byte[] flood = new byte[ChatServer.MAX_LINE + 500];
                        Arrays.fill(flood, (byte) 'x');
                        c.sendAll(flood);
                        assertEquals("* lines are at most " + ChatServer.MAX_LINE + " bytes; bye", rc.readLine());
                    }
                    for (CoroSocketReader r : List.of(ra, rb)) {
                        assertEquals("* guest3 joined", r.readLine());
                        assertEquals("* guest3 left (line over " + ChatServer.MAX_LINE + " bytes)", r.readLine());
                    }

                    CoroSocket d = CoroSocket.connectTo(server.localAddress());
                    assertEquals("welcome, guest4; 3 here", d.reader().readLine());
                    d.setOption(StandardSocketOptions.SO_LINGER, 0);
                    d.close(); // a reset
                    assertEquals("* guest4 joined", ra.readLine());
                    assertEquals("* guest4 left (connection reset)", ra.readLine());
                    assertEquals("* guest4 joined", rb.readLine());
                    assertEquals("* guest4 left (connection reset)", rb.readLine());
                }
                assertFalse(acceptor.isDone(), "the acceptor serves until its socket is closed");
            }
            return null;
        });
        assertEquals(List.of(), logged.stream().map(ServersOverLoopbackTest::describe).toList(),
                "a reset or an over-long line is the end of that connection, not a log record");
    }

    @Test
    void theEchoServerEchoesAndTakesAResetAsTheEndOfThatConnection() {
        List<LogRecord> logged = capturingLogs(() -> {
            try (CoroServerSocket server = CoroServerSocket.bind(LOOPBACK);
                 CoroSocket client = CoroSocket.connectTo(server.localAddress());
                 CoroSocket conn = server.accept()) {
                Coro<Void> serving = Coro.spawn("echo serve", () -> EchoServer.serve(conn));
                client.sendAll("ping".getBytes());
                assertArrayEquals("ping".getBytes(), client.recvExact(4));
                client.setOption(StandardSocketOptions.SO_LINGER, 0);
                client.close();
                assertNull(serving.join(), "the reset ended the connection's coro normally");
            }
            return null;
        });
        assertEquals(List.of(), logged.stream().map(ServersOverLoopbackTest::describe).toList());
    }

    private static String describe(LogRecord r) {
        return r.getLevel() + " " + r.getMessage() + (r.getThrown() != null ? " " + r.getThrown() : "");
    }

    /** Runs {@code main} on a scheduler of {@link #switcher} and returns the scheduler's WARNING and worse records. */
    private List<LogRecord> capturingLogs(Callable<Void> main) {
        Logger jul = Logger.getLogger("dev.coro.scheduler"); // System.Logger's default backend; held while the handler is on
        List<LogRecord> records = new CopyOnWriteArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord r) {
                if (r.getLevel().intValue() >= Level.WARNING.intValue()) {
                    records.add(r);
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        jul.addHandler(capture);
        try (Scheduler s = Scheduler.builder().switcher(switcher).poller("nio").build()) {
            s.run(main);
        } finally {
            jul.removeHandler(capture);
        }
        assertTrue(records.stream().noneMatch(r -> r.getLevel() == Level.SEVERE), "no SEVERE");
        return records;
    }
}
