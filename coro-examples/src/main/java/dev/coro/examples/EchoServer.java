package dev.coro.examples;

import dev.coro.Coro;
import dev.coro.Scheduler;
import dev.coro.net.ConnectionResetException;
import dev.coro.net.CoroServerSocket;
import dev.coro.net.CoroSocket;

import java.io.IOException;
import java.net.InetSocketAddress;

/**
 * An echo server in the straight-line style: one coro accepts, and each connection gets a coro of
 * its own that reads and writes as if it had a thread to itself. Blocking calls suspend only that
 * coro; one OS thread serves every connection. A client that vanishes with a reset ends its
 * connection like one that closed: a reset is normal traffic, not an error to log. Try it:
 * {@code nc localhost 7007}.
 */
public final class EchoServer {
    private EchoServer() {
    }

    public static void main(String[] args) {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 7007;
        Scheduler.builder().name("echo").build().run(() -> acceptLoop(port));
    }

    static Void acceptLoop(int port) throws IOException {
        try (CoroServerSocket server = CoroServerSocket.bind(new InetSocketAddress(port))) {
            System.out.println("echo server listening on " + server.localAddress());
            while (true) {
                CoroSocket client = server.accept();
                Coro.spawn("echo " + client.remoteAddress(), () -> serve(client));
            }
        }
    }

    /** Echoes {@code client} until it closes or resets, then closes it: one connection's coro body. */
    public static Void serve(CoroSocket client) throws IOException {
        try (client) {
            byte[] data;
            while ((data = client.recv(8192)).length > 0) { // an empty array: the client closed
                client.sendAll(data);
            }
        } catch (ConnectionResetException reset) {
            // the client vanished (closed with unread data, crashed, or was cut off): the end of this connection
        }
        return null;
    }
}
