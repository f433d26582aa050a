package dev.coro.examples.c10k;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The demo server's {@code --console PATH}: a second JVM serves the console on a Unix-domain socket
 * next to its echo port, answers an operator's commands, and removes the socket file when it ends.
 * The operator here is a plain blocking JDK channel, as {@code nc -U} would be.
 */
class ServerConsoleTest {

    @Test
    void theServerAnswersOnItsConsoleAndRemovesTheSocketWhenItEnds() throws IOException {
        Path dir = Files.createTempDirectory("c10k-console");
        Path sock = dir.resolve("console.sock");
        try {
            try (ServerProcess server = ServerProcess.start(Duration.ofSeconds(60), sock.toString());
                 SocketChannel operator = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                assertEquals(sock.toString(), server.console());
                operator.connect(UnixDomainSocketAddress.of(sock));
                assertTrue(answer(operator).contains("scheduler"), "the banner");
                String stats = ask(operator, "stats");
                assertTrue(stats.contains("liveCoros") && stats.contains("largestBatch"), stats);
                String coros = ask(operator, "coros");
                assertTrue(coros.contains("'acceptor'") && coros.contains("'console session 1'"), coros);
                assertTrue(ask(operator, "nonsense").startsWith("error: unknown command"));
            }
            assertFalse(Files.exists(sock), "the server left its console socket behind");
        } finally {
            Files.deleteIfExists(sock);
            Files.delete(dir);
        }
    }

    @Test
    void theConsoleIsOffByDefaultAndABadValueStopsTheDemoBeforeAnyProcessStarts() throws DemoOptions.BadFlag {
        assertNull(DemoOptions.parse().console());
        assertEquals("7070", DemoOptions.parse("--console", "7070").console());
        assertEquals("/tmp/x.sock", DemoOptions.parse("--console=/tmp/x.sock").console());
        assertThrows(DemoOptions.BadFlag.class, () -> DemoOptions.parse("--console", "70000"));
        assertThrows(DemoOptions.BadFlag.class, () -> DemoOptions.parse("--console", " "));
    }

    private static String ask(SocketChannel ch, String line) throws IOException {
        ch.write(ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.UTF_8)));
        return answer(ch);
    }

    /** Bytes up to the console's prompt, without it. */
    private static String answer(SocketChannel ch) throws IOException {
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        ByteBuffer one = ByteBuffer.allocate(1);
        while (!got.toString(StandardCharsets.UTF_8).endsWith("coro> ")) {
            one.clear();
            if (ch.read(one) < 0) {
                throw new IOException("the console closed the session after: " + got);
            }
            got.write(one.array()[0]);
        }
        String s = got.toString(StandardCharsets.UTF_8);
        return s.substring(0, s.length() - "coro> ".length());
    }
}
