package dev.coro.examples;

import dev.coro.Coro;
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
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * A line-based chat room: every line a client types goes to everyone else, prefixed with its name
 * ({@code /nick NAME} renames). Each client has a reader coro (below, {@link #serve}) that reads lines
 * through the socket's {@link CoroSocketReader}, and a writer coro that drains its outbox, so a slow
 * client never stalls the others: a socket has one writer, and a full outbox drops lines for that
 * client only. Lines are UTF-8, end with {@code \n} or {@code \r\n} (what {@code nc} and telnet send),
 * and are at most {@value #MAX_LINE} bytes: a client that sends a longer one is told so and
 * disconnected, so a client cannot make the server buffer without bound. A client that vanishes
 * with a reset leaves like one that said goodbye. No locks: all coros share one thread, and
 * {@link #room} changes only between suspension points. Try it: {@code nc localhost 7008} twice.
 */
public final class ChatServer {
    /** The longest line accepted, in bytes (the line end not counted). */
    static final int MAX_LINE = 1024;
    private static final int OUTBOX_LINES = 256;

    private final Set<Client> room = new LinkedHashSet<>();
    private int joined;

    private static final class Client {
        String name;
        final Fifo<String> outbox = new Fifo<>(OUTBOX_LINES);

        Client(String name) {
            this.name = name;
        }
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
        Coro<Void> writer = Coro.spawn("writer of " + me.name, () -> {
            try {
                while (true) {
                    socket.sendAll(me.outbox.pop().getBytes(StandardCharsets.UTF_8));
                }
            } catch (ConnectionResetException | SocketClosedException gone) {
                return null; // the reader coro sees the end of the connection too, and cleans up
            }
        });
        room.add(me);
        me.outbox.offer("welcome, " + me.name + "; " + room.size() + " here\n");
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
                socket.sendAll(("* lines are at most " + MAX_LINE + " bytes; bye\n").getBytes(StandardCharsets.UTF_8));
            }
        } catch (ConnectionResetException reset) {
            why = " (connection reset)"; // the client vanished: it leaves like one that said goodbye
        } finally {
            room.remove(me);
            writer.shutdown();
            broadcast(me, "* " + me.name + " left" + why + "\n");
        }
        return null;
    }

    private void broadcast(Client from, String line) {
        for (Client c : room) {
            if (c != from) {
                c.outbox.offer(line); // never waits: a client whose outbox is full misses this line
            }
        }
    }
}
