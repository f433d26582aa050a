package dev.coro.examples;

import dev.coro.Coro;
import dev.coro.Scheduler;
import dev.coro.net.ConnectionResetException;
import dev.coro.net.CoroServerSocket;
import dev.coro.net.CoroSocket;
import dev.coro.net.SocketClosedException;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * C10k in one OS thread: one scheduler runs an echo server and N client coros (default 10,000),
 * each connected to it and doing M round trips (default 10) of a small message; then prints the
 * throughput and the scheduler's stats. Both ends live in this JVM, so each connection costs two
 * fds: N is capped to fit the fd limit. A connection reset ends only that connection (the server side
 * is {@link EchoServer#serve}). Arguments: {@code [N] [M]}.
 */
public final class C10kEchoDemo {
    private static final int MESSAGE = 64;

    private C10kEchoDemo() {
    }

    public static void main(String[] args) {
        int wanted = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        int clients = Math.min(wanted, fdBudget());
        if (clients < wanted) {
            System.out.println("capping " + wanted + " clients to " + clients + " (fd limit " + maxFds()
                    + "; each connection uses two fds here)");
        }
        Scheduler scheduler = Scheduler.builder().name("c10k").latencyWarning(java.time.Duration.ZERO).build();
        System.out.println("c10k echo: " + clients + " clients x " + rounds + " round trips of " + MESSAGE
                + " bytes; switch '" + scheduler.switcherName() + "', poller '" + scheduler.pollerName() + "'");
        long[] result = scheduler.run(() -> runAll(clients, rounds));
        double seconds = result[1] / 1e9;
        System.out.printf("%d round trips in %.2f s: %.0f round trips/s (connect phase %.2f s)%n",
                result[0], seconds, result[0] / seconds, result[2] / 1e9);
        System.out.println("stats: " + scheduler.stats());
    }

    /** Returns {round trips, nanos for the round trips, nanos to connect everyone}. */
    private static long[] runAll(int clients, int rounds) throws IOException {
        try (CoroServerSocket server = CoroServerSocket.bind(
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), clients)) {
            Coro.spawn("acceptor", () -> {
                try {
                    while (true) {
                        CoroSocket c = server.accept();
                        Coro.spawn(() -> EchoServer.serve(c));
                    }
                } catch (SocketClosedException done) {
                    return null;
                }
            });
            long t0 = System.nanoTime();
            List<CoroSocket> sockets = new ArrayList<>(clients);
            for (int i = 0; i < clients; i++) {
                sockets.add(CoroSocket.connectTo(server.localAddress()));
            }
            long t1 = System.nanoTime();
            List<Coro<Integer>> all = new ArrayList<>(clients);
            for (CoroSocket s : sockets) {
                all.add(Coro.spawn(() -> client(s, rounds)));
            }
            long done = 0;
            for (Coro<Integer> c : all) {
                done += c.join();
            }
            return new long[]{done, System.nanoTime() - t1, t1 - t0};
        }
    }

    private static int client(CoroSocket s, int rounds) throws IOException {
        byte[] msg = new byte[MESSAGE];
        Arrays.fill(msg, (byte) 'x');
        int ok = 0;
        try (s) {
            for (int r = 0; r < rounds; r++) {
                s.sendAll(msg);
                if (Arrays.equals(msg, s.recvExact(MESSAGE))) {
                    ok++;
                }
            }
        } catch (ConnectionResetException reset) {
            // the end of this connection: its round trips so far count, the others go on
        }
        return ok;
    }

    private static long maxFds() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.UnixOperatingSystemMXBean u
                ? u.getMaxFileDescriptorCount() : 20_000;
    }

    /** Connections that fit: two fds each, with room for the JVM's own. */
    private static int fdBudget() {
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, (maxFds() - 512) / 2));
    }
}
