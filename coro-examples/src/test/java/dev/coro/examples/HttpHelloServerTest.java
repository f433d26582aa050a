package dev.coro.examples;

import dev.coro.Coro;
import dev.coro.Scheduler;
import dev.coro.net.CoroServerSocket;
import dev.coro.net.CoroSocket;
import dev.coro.net.CoroSocketReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The hello server over real loopback sockets, on each switch: several requests on one keep-alive
 * connection (one at a time and pipelined, with a body), {@code Connection: close}, HTTP/1.0 with and
 * without {@code keep-alive}, HEAD, and requests it refuses (malformed, a line over the reader's bound,
 * too many fields, chunked, HTTP/2) — each refusal answered and followed by the end of the stream. The
 * client reads every response to its end, so no step waits on a clock.
 */
@ParameterizedClass
@ValueSource(strings = {"native", "loom"})
class HttpHelloServerTest {
    @org.junit.jupiter.params.Parameter
    String switcher;

    private static final InetSocketAddress LOOPBACK = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    private static final String GET = "GET / HTTP/1.1\r\nHost: localhost\r\n\r\n";

    /** A response as the client read it: status line, fields (names lower-cased), body. */
    private record Response(String status, Map<String, String> fields, String body) {
        String field(String name) {
            return fields.get(name);
        }
    }

    @Test
    void servesManyRequestsOnOneKeepAliveConnection() {
        onServer(address -> {
            try (CoroSocket c = CoroSocket.connectTo(address)) {
                CoroSocketReader in = c.reader();
                for (int i = 0; i < 3; i++) {
                    send(c, GET);
                    assertHello(read(in, true));
                }
                send(c, GET + "POST /form HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello" + GET); // pipelined
                for (int i = 0; i < 3; i++) {
                    Response r = read(in, true);
                    assertHello(r);
                    assertNull(r.field("connection"), "HTTP/1.1 keeps the connection without saying so");
                }
                send(c, "HEAD / HTTP/1.1\r\nHost: x\r\n\r\n");
                Response head = read(in, false);
                assertEquals("HTTP/1.1 200 OK", head.status());
                assertEquals("14", head.field("content-length"), "HEAD: the length of the body it would get");
                send(c, GET); // the HEAD had no body: the next response follows at once
                assertHello(read(in, true));
                send(c, "GET /bye HTTP/1.1\r\nHost: x\r\nConnection: keep-alive, Close\r\n\r\n");
                Response last = read(in, true);
                assertHello(last);
                assertEquals("close", last.field("connection"));
                assertNull(in.readLine(), "the server closed after Connection: close");
            }
        });
    }

    @Test
    void http10ClosesUnlessAskedToKeepAlive() {
        onServer(address -> {
            try (CoroSocket c = CoroSocket.connectTo(address)) {
                CoroSocketReader in = c.reader();
                send(c, "GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
                Response kept = read(in, true);
                assertHello(kept);
                assertEquals("keep-alive", kept.field("connection"));
                send(c, "GET / HTTP/1.0\r\n\r\n");
                Response closed = read(in, true);
                assertHello(closed);
                assertEquals("close", closed.field("connection"));
                assertNull(in.readLine());
            }
        });
    }

    @Test
    void refusesBadRequestsAndCloses() {
        String longValue = "a".repeat(HttpHelloServer.MAX_LINE + 100);
        String manyFields = "X-F: 1\r\n".repeat(HttpRequestHead.MAX_HEADERS + 1);
        Object[][] cases = {
                {"GARBAGE\r\n\r\n", 400},
                {"GET / HTTP/1.1\r\nHost: x\r\nno colon here\r\n\r\n", 400},
                {"GET / HTTP/1.1\r\nHost : x\r\n\r\n", 400},
                {"GET / HTTP/1.1\r\n\r\n", 400}, // no Host
                {"GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n", 400},
                {"GET / HTTP/1.1\r\nHost: x\r\nX-Long: " + longValue + "\r\n\r\n", 431},
                {"GET /" + longValue + " HTTP/1.1\r\nHost: x\r\n\r\n", 414},
                {"GET / HTTP/1.1\r\nHost: x\r\n" + manyFields + "\r\n", 431},
                {"POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 501},
                {"GET / HTTP/2.0\r\nHost: x\r\n\r\n", 505},
        };
        onServer(address -> {
            for (Object[] k : cases) {
                String request = (String) k[0];
                int status = (Integer) k[1];
                try (CoroSocket c = CoroSocket.connectTo(address)) {
                    CoroSocketReader in = c.reader();
                    send(c, GET); // a good request first: a refusal ends only what comes after it
                    assertHello(read(in, true));
                    send(c, request);
                    Response r = read(in, true);
                    String what = request.substring(0, Math.min(40, request.length()));
                    assertTrue(r.status().startsWith("HTTP/1.1 " + status + " "), what + " -> " + r.status());
                    assertEquals("close", r.field("connection"), what);
                    assertFalse(r.body().isBlank(), "the body says what was wrong");
                    assertNull(in.readLine(), what + ": the server ends the connection after refusing");
                }
            }
        });
    }

    @Test
    void aClientThatLeavesMidRequestEndsOnlyItsConnection() {
        onServer(address -> {
            try (CoroSocket c = CoroSocket.connectTo(address)) {
                send(c, "GET / HTTP/1.1\r\nHost: x\r\n"); // no empty line yet
                c.shutdownOutput();
                assertNull(c.reader().readLine(), "nothing to answer: the server just closes");
            }
            try (CoroSocket c = CoroSocket.connectTo(address)) { // the server still serves
                send(c, GET);
                assertHello(read(c.reader(), true));
            }
        });
    }

    private interface ClientBody {
        void run(InetSocketAddress server) throws Exception;
    }

    /** Runs {@code client} in a coro against a hello server on an ephemeral loopback port, on {@link #switcher}. */
    private void onServer(ClientBody client) {
        Callable<Void> main = () -> {
            try (CoroServerSocket server = CoroServerSocket.bind(LOOPBACK)) {
                Coro<Void> acceptor = Coro.spawn("http acceptor", () -> HttpHelloServer.acceptLoop(server));
                // A broken server must fail the test, not hang it.
                Coro.withTimeout(Duration.ofSeconds(30), () -> {
                    client.run((InetSocketAddress) server.localAddress());
                    return null;
                });
                assertFalse(acceptor.isDone(), "the acceptor serves until its socket is closed");
            }
            return null;
        };
        try (Scheduler s = Scheduler.builder().switcher(switcher).poller("nio").build()) {
            s.run(main);
        }
    }

    private static void send(CoroSocket c, String s) throws IOException {
        c.sendAll(s.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** Reads one response: status line, fields up to the empty line, and (if {@code body}) Content-Length bytes. */
    private static Response read(CoroSocketReader in, boolean body) throws IOException {
        String status = in.readLine();
        assertTrue(status != null, "a response, not the end of the stream");
        Map<String, String> fields = new LinkedHashMap<>();
        String line;
        while (!(line = in.readLine()).isEmpty()) {
            int colon = line.indexOf(':');
            fields.put(line.substring(0, colon).toLowerCase(Locale.ROOT), line.substring(colon + 1).strip());
        }
        int length = Integer.parseInt(fields.get("content-length"));
        String text = body ? new String(in.readExact(length), StandardCharsets.UTF_8) : "";
        return new Response(status, fields, text);
    }

    private static void assertHello(Response r) {
        assertEquals("HTTP/1.1 200 OK", r.status());
        assertEquals("text/plain", r.field("content-type"));
        assertEquals("Hello, World!\n", r.body());
    }
}
