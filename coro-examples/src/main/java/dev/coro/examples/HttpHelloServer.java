package dev.coro.examples;

import dev.coro.Coro;
import dev.coro.CoroTimeoutException;
import dev.coro.Scheduler;
import dev.coro.net.ConnectionResetException;
import dev.coro.net.CoroServerSocket;
import dev.coro.net.CoroSocket;
import dev.coro.net.CoroSocketReader;
import dev.coro.net.LineTooLongException;
import dev.coro.net.PrematureEofException;
import dev.coro.net.SocketClosedException;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * An HTTP/1.1 keep-alive "hello" server in the straight-line style: one coro accepts, each connection
 * gets a coro that reads a request head line by line through the socket's buffered reader, answers
 * {@code 200 OK} with "Hello, World!", and loops for the next request on the same connection until
 * the client says {@code Connection: close} (or speaks HTTP/1.0 without {@code keep-alive}) or goes
 * away. A malformed or oversized head gets its 4xx/5xx and the connection ends: lines are at most
 * {@value #MAX_LINE} bytes (the reader's bound: 414 for the request line, 431 for a field), at most
 * {@value HttpRequestHead#MAX_HEADERS} fields. Like Netty's HttpHelloWorldServer, which the benchmark
 * runs beside it, every method gets the hello (HEAD without the body) and idle connections have no
 * timeout. Try it: {@code curl -v localhost:8080/}.
 */
public final class HttpHelloServer {
    /** The longest request line or header field, in bytes (line end not counted). */
    public static final int MAX_LINE = CoroSocketReader.DEFAULT_MAX_LINE;
    /**
     * The accept backlog: a load generator such as wrk opens all its connections at once, and the
     * JDK's default of 50 would drop most of those handshakes (Netty's example asks for 1024 too).
     */
    public static final int BACKLOG = 1024;
    /** The body of every 200. */
    public static final byte[] BODY = "Hello, World!\n".getBytes(StandardCharsets.US_ASCII);

    private static final Duration LINGER = Duration.ofSeconds(1);
    private static final int LINGER_BYTES = 64 * 1024;

    // The six possible 200s, built once: {HTTP/1.1 keep-alive, HTTP/1.0 keep-alive, close} × {GET, HEAD}.
    private static final byte[][] OK = {
            ok("", true), ok("Connection: keep-alive\r\n", true), ok("Connection: close\r\n", true),
            ok("", false), ok("Connection: keep-alive\r\n", false), ok("Connection: close\r\n", false)};

    private HttpHelloServer() {
    }

    public static void main(String[] args) {
        int port = args.length == 0 ? 8080 : args.length == 1 && args[0].matches("[0-9]{1,5}") ? Integer.parseInt(args[0]) : -1;
        if (port < 1 || port > 65535) {
            System.err.println("usage: HttpHelloServer [port]   (1..65535, default 8080)");
            System.exit(2);
        }
        Scheduler.builder().name("http").build().run(() -> {
            try (CoroServerSocket server = CoroServerSocket.bind(new InetSocketAddress(port), BACKLOG)) {
                System.out.println("http hello server listening on " + server.localAddress());
                return acceptLoop(server);
            }
        });
    }

    /** Serves {@code server}'s connections until it is closed. */
    static Void acceptLoop(CoroServerSocket server) throws IOException {
        try {
            while (true) {
                CoroSocket client = server.accept();
                Coro.spawn("http " + client.remoteAddress(), () -> serve(client));
            }
        } catch (SocketClosedException closed) {
            return null; // the server socket was closed: no more clients
        }
    }

    /** One connection: request, response, request, ... until either side ends it. */
    static Void serve(CoroSocket client) throws IOException {
        try (client) {
            CoroSocketReader in = client.reader(MAX_LINE);
            HttpRequestHead head = new HttpRequestHead();
            try {
                while (readHead(in, head)) {
                    if (head.contentLength() > 0) {
                        in.readExact((int) head.contentLength()); // bounded by MAX_BODY; the hello ignores it
                    }
                    client.sendAll(response(head));
                    if (!head.keepAlive()) {
                        return null;
                    }
                }
            } catch (HttpError e) {
                client.sendAll(e.response());
                lingeringClose(client, in);
            }
        } catch (ConnectionResetException | PrematureEofException gone) {
            // the client vanished, or ended inside a body: the end of this connection, not an error to log
        }
        return null;
    }

    /**
     * Reads the next request head into {@code head}; false at the end of the stream before one began,
     * or inside one (a client that gave up: nobody is left to read an error).
     */
    static boolean readHead(CoroSocketReader in, HttpRequestHead head) throws IOException, HttpError {
        head.reset();
        try {
            String line;
            do {
                // ISO-8859-1: a head is ASCII (with opaque bytes at most in values); no decoding, one copy per line
                line = in.readLine(StandardCharsets.ISO_8859_1);
                if (line == null) {
                    return false;
                }
            } while (!head.line(line));
            return true;
        } catch (LineTooLongException e) {
            throw head.tooLong(in.maxLine());
        }
    }

    /** The 200 for {@code head} (shared, never to be modified). */
    public static byte[] response(HttpRequestHead head) {
        int connection = !head.keepAlive() ? 2 : head.minorVersion() == 0 ? 1 : 0;
        return OK[connection + (head.method().equals("HEAD") ? 3 : 0)];
    }

    /**
     * After an error response: half-close, then read and drop what the client still sends (for up to
     * {@link #LINGER} per read and {@value #LINGER_BYTES} bytes) before closing. Closing with unread
     * bytes would make the kernel send a reset, which can destroy the response before the client read it.
     */
    private static void lingeringClose(CoroSocket client, CoroSocketReader in) throws IOException {
        client.shutdownOutput();
        client.setTimeout(LINGER);
        InputStream rest = in.inputStream();
        byte[] sink = new byte[8192];
        try {
            int n;
            for (long total = 0; total < LINGER_BYTES && (n = rest.read(sink)) >= 0; total += n) {
                // dropped
            }
        } catch (CoroTimeoutException quiet) {
            // the client neither sent more nor closed: close anyway
        }
    }

    private static byte[] ok(String connection, boolean withBody) {
        String head = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: " + BODY.length + "\r\n"
                + connection + "\r\n";
        byte[] h = head.getBytes(StandardCharsets.US_ASCII);
        byte[] all = new byte[h.length + (withBody ? BODY.length : 0)];
        System.arraycopy(h, 0, all, 0, h.length);
        if (withBody) {
            System.arraycopy(BODY, 0, all, h.length, BODY.length);
        }
        return all;
    }
}
