package dev.coro.examples;

import dev.coro.Coro;
import dev.coro.CoroTimeoutException;
import dev.coro.Scheduler;
import dev.coro.net.ConnectionResetException;
import dev.coro.net.CoroServerSocket;
import dev.coro.net.CoroSocket;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * An echo server in the straight-line style: one coro accepts, and each connection gets a coro of
 * its own that reads and writes as if it had a thread to itself. Blocking calls suspend only that
 * coro; one OS thread serves every connection. A client that vanishes with a reset ends its
 * connection like one that closed: a reset is normal traffic, not an error to log. Try it:
 * {@code nc localhost 7007}.
 *
 * <p>Bounds, whatever a client sends or fails to read: a connection holds at most one read of
 * {@value #BUFFER} bytes of heap while it waits to write it back (it reads nothing more until that
 * is written, so a client that does not read stops being read: backpressure through the kernel's
 * socket buffers, not a queue of ours), and a client that takes none of the echo for
 * {@link #WRITE_TIMEOUT} is dropped. Any bytes are echoed as they came: binary, long lines, no lines.
 */
public final class EchoServer {
    /** The most bytes read (and so held) at once per connection. */
    public static final int BUFFER = 8192;
    /**
     * How long a write may wait without progress (the client taking none of the echo) before the
     * connection is dropped. Reads have no bound: a client may idle for as long as it likes.
     */
    public static final Duration WRITE_TIMEOUT = Duration.ofSeconds(30);

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

    /** {@link #serve(CoroSocket, Duration)} with {@link #WRITE_TIMEOUT}: one connection's coro body. */
    public static Void serve(CoroSocket client) throws IOException {
        return serve(client, WRITE_TIMEOUT);
    }

    /**
     * Echoes {@code client} until it closes or resets, or takes none of the echo for
     * {@code writeTimeout}, then closes it.
     */
    public static Void serve(CoroSocket client, Duration writeTimeout) throws IOException {
        try (client) {
            byte[] data;
            while ((data = client.recv(BUFFER)).length > 0) { // an empty array: the client closed
                // The socket's timeout bounds each wait, and only writes get one (toggling it costs two
                // field stores; a wait that never happens costs nothing).
                client.setTimeout(writeTimeout);
                client.sendAll(data);
                client.setTimeout(null);
            }
        } catch (ConnectionResetException reset) {
            // the client vanished (closed with unread data, crashed, or was cut off): the end of this connection
        } catch (CoroTimeoutException notReading) {
            // the client stopped reading: dropped, so that it holds neither a coro nor a buffer for good
        }
        return null;
    }
}
