package dev.coro.tck.net;

import dev.coro.Coro;
import dev.coro.Scheduler;
import dev.coro.net.CoroServerSocket;
import dev.coro.net.CoroSocket;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Run by {@link EmfileVerification} in a child JVM with a low fd limit: connects clients, uses up every
 * remaining fd, lets the server's accept fail with EMFILE and back off, then frees the fds and
 * checks that every client is accepted. Prints "OK ..." or "FAIL ..." and exits with 0 or 1.
 * Args: the switch backend, the poller, then optionally {@code cold-logging} (no log record before
 * the fds run out).
 * Everything it needs after the fds run out is loaded before (a class file needs an fd to load).
 */
public final class EmfileChild {
    static final int CLIENTS = 5;

    private EmfileChild() {
    }

    /**
     * The child's entry point.
     *
     * @param args the switch backend, the poller, and optionally {@code cold-logging}
     * @throws Exception if the scenario fails outside its own checks
     */
    public static void main(String[] args) throws Exception {
        if (!(args.length > 2 && args[2].equals("cold-logging"))) {
            System.getLogger("dev.coro.net").log(System.Logger.Level.INFO, "emfile child started"); // logging set up now
        } // else the EMFILE warning is the JVM's first log record, made when no fd is left for tzdb.dat
        String result;
        try (Scheduler s = Scheduler.builder().switcher(args[0]).poller(args[1]).build()) {
            result = s.run(EmfileChild::scenario);
        }
        System.out.println(result);
        System.exit(result.startsWith("OK") ? 0 : 1);
    }

    static String scenario() throws Exception {
        try (CoroServerSocket server = CoroServerSocket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64)) {
            // Warm up every path used later, while fds are still available.
            try (CoroSocket c = CoroSocket.connectTo(server.localAddress()); CoroSocket a = server.accept()) {
                a.sendAll(new byte[]{1});
                c.recvExact(1);
            }
            Coro.sleep(Duration.ofMillis(1));
            List<CoroSocket> clients = new ArrayList<>();
            List<FileChannel> hogs = new ArrayList<>();
            try {
                for (int i = 0; i < CLIENTS; i++) {
                    clients.add(CoroSocket.connectTo(server.localAddress())); // completes in the backlog
                }
                try {
                    while (true) {
                        hogs.add(FileChannel.open(Path.of("/dev/null")));
                    }
                } catch (IOException e) {
                    if (!String.valueOf(e.getMessage()).contains("Too many open files")) {
                        return "FAIL unexpected error while using up fds: " + e;
                    }
                }
                long start = Coro.now();
                Coro<Integer> acceptor = Coro.spawn("acceptor", () -> acceptAll(server));
                // Wait (by polling a counter, not by a guess of time) for 4 failed accepts.
                while (server.fdExhaustions() < 4 && !acceptor.isDone()) {
                    Coro.sleep(Duration.ofMillis(5));
                }
                long elapsedMs = (Coro.now() - start) / 1_000_000;
                if (acceptor.isDone()) {
                    return "FAIL the acceptor ended while fds were exhausted: " + describe(acceptor);
                }
                // Backoff sleeps of 10, 20 and 40 ms separate the first four failures; sleeps never
                // end early, so less than 70 ms means the loop did not back off.
                if (elapsedMs < 70) {
                    return "FAIL 4 failed accepts within " + elapsedMs + " ms: no backoff";
                }
                long failuresBeforeRelease = server.fdExhaustions();
                for (FileChannel h : hogs) {
                    h.close();
                }
                hogs.clear();
                int accepted = acceptor.join(Duration.ofSeconds(20));
                return "OK accepted=" + accepted + " exhaustions=" + failuresBeforeRelease + " elapsedMs=" + elapsedMs;
            } finally {
                for (FileChannel h : hogs) {
                    h.close();
                }
                for (CoroSocket c : clients) {
                    c.close();
                }
            }
        }
    }

    static int acceptAll(CoroServerSocket server) throws IOException {
        int n = 0;
        for (int i = 0; i < CLIENTS; i++) {
            try (CoroSocket a = server.accept()) {
                a.sendAll(new byte[]{2});
                n++;
            }
        }
        return n;
    }

    static String describe(Coro<Integer> c) {
        try {
            return "result " + c.join();
        } catch (RuntimeException e) {
            return e.toString();
        }
    }
}
