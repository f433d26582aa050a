package dev.coro.examples;

import dev.coro.Coro;
import dev.coro.Scheduler;
import dev.coro.net.CoroServerSocket;
import dev.coro.net.CoroSocket;
import dev.coro.sync.Fifo;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * A line-based chat room: every line a client types goes to everyone else, prefixed with its name
 * ({@code /nick NAME} renames). Each client has a reader coro (below, {@link #serve}) and a writer
 * coro that drains its outbox, so a slow client never stalls the others: a socket has one writer,
 * and a full outbox drops lines for that client only. No locks: all coros share one thread, and
 * {@link #room} changes only between suspension points. Try it: {@code nc localhost 7008} twice.
 */
public final class ChatServer {
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
        Scheduler.builder().name("chat").build().run(() -> new ChatServer().acceptLoop(port));
    }

    Void acceptLoop(int port) throws IOException {
        try (CoroServerSocket server = CoroServerSocket.bind(new InetSocketAddress(port))) {
            System.out.println("chat server listening on " + server.localAddress());
            while (true) {
                CoroSocket socket = server.accept();
                Coro.spawn("chat " + socket.remoteAddress(), () -> serve(socket));
            }
        }
    }

    Void serve(CoroSocket socket) throws IOException {
        Client me = new Client("guest" + ++joined);
        Coro<Void> writer = Coro.spawn("writer of " + me.name, () -> {
            while (true) {
                socket.sendAll(me.outbox.pop().getBytes(StandardCharsets.UTF_8));
            }
        });
        room.add(me);
        me.outbox.offer("welcome, " + me.name + "; " + room.size() + " here\n");
        broadcast(me, "* " + me.name + " joined\n");
        try (socket) {
            LineReader in = new LineReader(socket);
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
        } catch (IOException gone) {
            // A connection reset: the client vanished; it leaves like one that said goodbye.
        } finally {
            room.remove(me);
            writer.shutdown();
            broadcast(me, "* " + me.name + " left\n");
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

    /** Splits a socket's bytes into UTF-8 lines (without the line end); null at the end of the stream. */
    static final class LineReader {
        private final CoroSocket socket;
        private final ByteArrayOutputStream line = new ByteArrayOutputStream();
        private byte[] buf = new byte[0];
        private int pos;

        LineReader(CoroSocket socket) {
            this.socket = socket;
        }

        String readLine() throws IOException {
            while (true) {
                while (pos < buf.length) {
                    byte b = buf[pos++];
                    if (b == '\n') {
                        String s = line.toString(StandardCharsets.UTF_8);
                        line.reset();
                        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
                    }
                    line.write(b);
                }
                buf = socket.recv(4096);
                pos = 0;
                if (buf.length == 0) {
                    return line.size() > 0 ? drainLast() : null;
                }
            }
        }

        private String drainLast() {
            String s = line.toString(StandardCharsets.UTF_8);
            line.reset();
            return s;
        }
    }
}
