package dev.coro.bench.http;

import dev.coro.bench.echo.ServerArgs;
import dev.coro.examples.HttpError;
import dev.coro.examples.HttpHelloServer;
import dev.coro.examples.HttpRequestHead;

import java.io.IOException;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;

/**
 * The hello on the JDK alone: a blocking {@code ServerSocket} (backlog {@value HttpHelloServer#BACKLOG},
 * as the others) and a virtual thread per connection reading heads through a
 * {@code BufferedInputStream} ({@link HttpLineInput}), with the same head parser, bounds and response
 * bytes as coro's {@code HttpHelloServer}, so the two differ only in how they wait. The acceptor is a
 * virtual thread too, so with {@code -Djdk.virtualThreadScheduler.parallelism=1} one carrier thread
 * runs all of it. Argument: {@code port}.
 */
public final class VirtualThreadHttpServer {
    private VirtualThreadHttpServer() {
    }

    public static void main(String[] args) throws Exception {
        int port = ServerArgs.port(args, 0, "usage: VirtualThreadHttpServer <port>");
        ServerSocket server = new ServerSocket(port, HttpHelloServer.BACKLOG);
        System.out.println("virtual-thread http hello server listening on " + server.getLocalSocketAddress());
        Thread.ofVirtual().name("acceptor").start(() -> accept(server)).join();
    }

    private static void accept(ServerSocket server) {
        try (server) {
            while (true) {
                Socket s = server.accept();
                Thread.ofVirtual().start(() -> serve(s));
            }
        } catch (IOException e) {
            throw new IllegalStateException("accept failed", e);
        }
    }

    private static void serve(Socket s) {
        try (s; HttpLineInput in = new HttpLineInput(s.getInputStream(), HttpHelloServer.MAX_LINE);
             OutputStream out = s.getOutputStream()) {
            HttpRequestHead head = new HttpRequestHead();
            try {
                while (readHead(in, head)) {
                    in.skipNBytes(head.contentLength()); // bounded by MAX_BODY; the hello ignores it
                    out.write(HttpHelloServer.response(head));
                    if (!head.keepAlive()) {
                        return;
                    }
                }
            } catch (HttpError e) {
                out.write(e.response());
                lingeringClose(s, in);
            }
        } catch (IOException gone) {
            // a reset or an end inside a body: the end of this connection, as in coro's server
        }
    }

    private static boolean readHead(HttpLineInput in, HttpRequestHead head) throws IOException, HttpError {
        head.reset();
        try {
            String line;
            do {
                line = in.readLine();
                if (line == null) {
                    return false;
                }
            } while (!head.line(line));
            return true;
        } catch (HttpLineInput.TooLong e) {
            throw head.tooLong(HttpHelloServer.MAX_LINE);
        }
    }

    /** As coro's server: half-close and drain (1 s per read, 64 KiB) so that closing sends no reset over the response. */
    private static void lingeringClose(Socket s, HttpLineInput in) throws IOException {
        s.shutdownOutput();
        s.setSoTimeout(1000);
        byte[] sink = new byte[8192];
        try {
            int n;
            for (long total = 0; total < 64 * 1024 && (n = in.read(sink)) >= 0; total += n) {
                // dropped
            }
        } catch (SocketTimeoutException quiet) {
            // close anyway
        }
    }
}
