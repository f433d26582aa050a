package dev.coro.bench.echo;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * The JDK's answer to the same problem: a {@code ServerSocket} and a virtual thread per connection that
 * blocks in {@code read} and {@code write}, the straight-line style coro offers. The acceptor is a virtual
 * thread too, so with {@code -Djdk.virtualThreadScheduler.parallelism=1} one carrier thread runs all of
 * it (the JDK's poller thread waits on the sockets for it). Argument: {@code port}.
 */
public final class VirtualThreadEchoServer {
    private static final int BUFFER = 8192; // as coro's EchoServer reads

    private VirtualThreadEchoServer() {
    }

    public static void main(String[] args) throws Exception {
        int port = ServerArgs.port(args, 0, "usage: VirtualThreadEchoServer <port>");
        ServerSocket server = new ServerSocket(port); // the default backlog, as coro's EchoServer
        System.out.println("virtual-thread echo server listening on " + server.getLocalSocketAddress());
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
        try (s; InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
            byte[] buf = new byte[BUFFER];
            int n;
            while ((n = in.read(buf)) > 0) {
                out.write(buf, 0, n);
            }
        } catch (IOException reset) {
            // the client vanished: the end of this connection, as in coro's EchoServer
        }
    }
}
