package dev.coro.examples;

import dev.coro.Coro;
import dev.coro.CoroExecutionException;
import dev.coro.CoroTimeoutException;
import dev.coro.Scheduler;
import dev.coro.net.ConnectionResetException;
import dev.coro.net.CoroServerSocket;
import dev.coro.net.CoroSocket;
import dev.coro.net.CoroSocketReader;
import dev.coro.net.LineTooLongException;
import dev.coro.net.SocketClosedException;
import dev.coro.sync.Fifo;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;

/**
 * A line-based chat room: every line a client types goes to everyone else, prefixed with its name
 * ({@code /nick NAME} renames). Each client has a reader coro (below, {@link #serve}) that reads lines
 * through the socket's {@link CoroSocketReader}, and a writer coro that drains its outbox, so a slow
 * client never stalls the others: a socket has one writer, and a full outbox drops lines for that
 * client only. Lines are UTF-8 (malformed bytes read as U+FFFD), end with {@code \n} or {@code \r\n}
 * (what {@code nc} and telnet send). A client that vanishes with a reset leaves like one that said
 * goodbye. No locks: all coros share one thread, and {@link #room} changes only between suspension
 * points. Try it: {@code nc localhost 7008} twice.
 *
 * <p>What one client can make the server hold, whatever it sends or fails to read:
 * <ul>
 * <li>a line of at most {@value #MAX_LINE} bytes being read: a client that sends a longer one (or
 * garbage without a line end) is told so and disconnected;
 * <li>an outbox of at most {@value #OUTBOX_LINES} lines and {@value #OUTBOX_BYTES} bytes (the line
 * being written counts until it is written): a line that does not fit is dropped for that client;
 * <li>a kernel send buffer of {@value #SEND_BUFFER} bytes as asked (SO_SNDBUF; Linux doubles it);
 * <li>for at most the write timeout ({@link #WRITE_TIMEOUT} unless given): a line the client takes
 * none of within it gets the client dropped, so a client that never reads costs at most the bounds
 * above for that long, then nothing.
 * </ul>
 */
public final class ChatServer {
    /** The longest line accepted, in bytes (the line end not counted). */
    static final int MAX_LINE = 1024;
    /** The most lines waiting for one client. */
    static final int OUTBOX_LINES = 256;
    /** The most bytes (UTF-8, line ends included) waiting for one client, the line being written included. */
    static final int OUTBOX_BYTES = 64 * 1024;
    /**
     * The kernel send buffer asked for each client's socket (SO_SNDBUF; Linux doubles it for its own
     * bookkeeping): without it the kernel grows a socket's buffer to net.ipv4.tcp_wmem's maximum
     * (4 MiB by default) for a client that does not read, before the writer ever waits.
     */
    static final int SEND_BUFFER = 64 * 1024;
    /** How long writing one line to a client may take before the client is dropped. */
    static final Duration WRITE_TIMEOUT = Duration.ofSeconds(10);

    private final Set<Client> room = new LinkedHashSet<>();
    private final Duration writeTimeout;
    private int joined;
    private int peakOutboxBytes;
    private long droppedLines;

    private static final class Client {
        String name;
        final Fifo<byte[]> outbox = new Fifo<>(OUTBOX_LINES);
        /** Bytes in the outbox plus the line being written. */
        int queuedBytes;
        boolean notReading;

        Client(String name) {
            this.name = name;
        }
    }

    /** A room whose clients are dropped after {@link #WRITE_TIMEOUT} without taking a line. */
    public ChatServer() {
        this(WRITE_TIMEOUT);
    }

    /** A room whose clients are dropped after {@code writeTimeout} without taking a line (positive). */
    public ChatServer(Duration writeTimeout) {
        Objects.requireNonNull(writeTimeout, "writeTimeout");
        if (writeTimeout.isNegative() || writeTimeout.isZero()) {
            throw new IllegalArgumentException("the write timeout must be positive, got " + writeTimeout);
        }
        this.writeTimeout = writeTimeout;
    }

    public static void main(String[] args) {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 7008;
        Scheduler.builder().name("chat").build().run(() -> {
            try (CoroServerSocket server = CoroServerSocket.bind(new InetSocketAddress(port))) {
                System.out.println("chat server listening on " + server.localAddress());
                return new ChatServer().acceptLoop(server);
            }
        });
    }

    /** Serves {@code server}'s connections until it is closed. */
    Void acceptLoop(CoroServerSocket server) throws IOException {
        try {
            while (true) {
                CoroSocket socket = server.accept();
                Coro.spawn("chat " + socket.remoteAddress(), () -> serve(socket));
            }
        } catch (SocketClosedException closed) {
            return null; // the server socket was closed: no more clients
        }
    }

    Void serve(CoroSocket socket) throws IOException {
        Client me = new Client("guest" + ++joined);
        socket.setSendBufferSize(SEND_BUFFER);
        Coro<Void> writer = Coro.spawn("writer of " + me.name, () -> {
            try {
                while (true) {
                    byte[] line = me.outbox.pop();
                    try {
                        write(socket, line);
                    } finally {
                        me.queuedBytes -= line.length;
                    }
                }
            } catch (CoroTimeoutException notReading) {
                me.notReading = true;
                socket.close(); // the reader coro wakes with SocketClosedException and cleans up
                return null;
            } catch (ConnectionResetException | SocketClosedException gone) {
                return null; // the reader coro sees the end of the connection too, and cleans up
            }
        });
        room.add(me);
        send(me, "welcome, " + me.name + "; " + room.size() + " here\n");
        broadcast(me, "* " + me.name + " joined\n");
        String why = "";
        try (socket) {
            CoroSocketReader in = socket.reader(MAX_LINE);
            try {
                String line;
                while ((line = in.readLine()) != null) {
                    if (line.startsWith("/nick ")) {
                        String old = me.name;
                        me.name = line.substring(6).strip();
                        broadcast(me, "* " + old + " is now " + me.name + "\n");
                    } else {
                        broadcast(me, me.name + ": " + line + "\n");
                    }
                }
            } catch (LineTooLongException tooLong) {
                why = " (line over " + MAX_LINE + " bytes)";
                // Straight to the socket, once the writer has unwound (one pass) and left its write side free.
                writer.shutdown();
                Coro.yieldSlice();
                try {
                    write(socket, ("* lines are at most " + MAX_LINE + " bytes; bye\n").getBytes(StandardCharsets.UTF_8));
                } catch (CoroTimeoutException notReading) {
                    // it does not read its goodbye either: closed all the same
                }
            }
        } catch (ConnectionResetException reset) {
            why = " (connection reset)"; // the client vanished: it leaves like one that said goodbye
        } catch (SocketClosedException closed) {
            if (!me.notReading) {
                throw closed; // closed by someone else than its writer: not ours to hide
            }
            why = " (not reading: dropped after " + writeTimeout.toMillis() + " ms)";
        } finally {
            room.remove(me);
            writer.shutdown();
            broadcast(me, "* " + me.name + " left" + why + "\n");
        }
        return null;
    }

    /** Writes all of {@code line}, or fails with CoroTimeoutException if the client takes it too slowly. */
    private void write(CoroSocket socket, byte[] line) throws IOException {
        try {
            Coro.withTimeout(writeTimeout, () -> socket.sendAll(line));
        } catch (CoroExecutionException wrapped) { // withTimeout carries a checked failure in it
            if (wrapped.getCause() instanceof IOException io) {
                throw io;
            }
            throw wrapped;
        }
    }

    private void broadcast(Client from, String line) {
        byte[] bytes = line.getBytes(StandardCharsets.UTF_8); // encoded once, shared by every outbox
        for (Client c : room) {
            if (c != from) {
                send(c, bytes);
            }
        }
    }

    private void send(Client to, String line) {
        send(to, line.getBytes(StandardCharsets.UTF_8));
    }

    /** Queues {@code line} for {@code to} if both outbox bounds allow; never waits. */
    private void send(Client to, byte[] line) {
        if (to.queuedBytes + line.length > OUTBOX_BYTES || !to.outbox.offer(line)) {
            droppedLines++; // the client is behind: it misses this line
            return;
        }
        to.queuedBytes += line.length;
        peakOutboxBytes = Math.max(peakOutboxBytes, to.queuedBytes);
    }

    /** The most bytes any client's outbox has held (the line being written included). */
    int peakOutboxBytes() {
        return peakOutboxBytes;
    }

    /** Lines dropped because a client's outbox was full. */
    long droppedLines() {
        return droppedLines;
    }
}
