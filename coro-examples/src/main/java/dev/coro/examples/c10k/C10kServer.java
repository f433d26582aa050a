package dev.coro.examples.c10k;

import dev.coro.Coro;
import dev.coro.Scheduler;
import dev.coro.console.Console;
import dev.coro.SchedulerStats;
import dev.coro.examples.EchoServer;
import dev.coro.net.CoroServerSocket;
import dev.coro.net.CoroSocket;
import dev.coro.net.SocketClosedException;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.net.SocketAddress;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * Process 1 of the c10k demo: {@link EchoServer#serve} behind one acceptor on the loopback (an
 * ephemeral port, backlog {@link DemoOptions#BACKLOG}), all on one scheduler thread. Its standard
 * input and output are the launcher's control channel, one line each way ({@link ServerProcess}):
 * it first prints {@code listening <port> switch=<name> poller=<name>}; on {@code stats} it prints
 * {@code stats open=<connections> accepted=<total> heap=<bytes used after a GC> rss=<bytes>
 * coros=<live coros> timers=<timer-heap size> waits=<poller registrations and awaited futures>
 * fds=<open file descriptors, -1 where /proc/self/fd is missing>} (the scheduler's figures, SPEC.md §5,
 * taken on its thread, so they agree with {@code open}). On {@code quit} it ends its run with every
 * connection still open (SPEC.md rule 8 shuts their coros down) and prints, once the run has returned,
 * {@code shutdown open_before=<n> fds_before=<n> open_after=<n> fds_after=<n> coros_after=<abandoned>
 * ms=<from quit to the end of the run>}, then exits. The end of its input (the launcher closed it, or
 * died) ends the server too, so it cannot outlive the launcher. With {@code --console PATH|PORT} it
 * also serves a {@link Console} there (and says {@code console <address>} on its output after the
 * listening line).
 */
public final class C10kServer {
    private static final Path FDS = Path.of("/proc/self/fd");

    private int open;
    private long accepted;
    /** Set on quit: the figures the shutdown line compares with what is left after the run. */
    private long quitNanos;
    private int openAtQuit = -1;
    private long fdsAtQuit = -1;

    private C10kServer() {
    }

    public static void main(String[] args) {
        SocketAddress console = null;
        try {
            if (args.length == 2 && args[0].equals("--console")) {
                console = DemoOptions.consoleAddress(args[1]);
            } else if (args.length != 0) {
                throw new DemoOptions.BadFlag("C10kServer takes no arguments but --console PATH|PORT (it is started by "
                        + "C10kEchoDemo); got " + String.join(" ", args));
            }
        } catch (DemoOptions.BadFlag e) {
            System.err.println(e.getMessage());
            System.exit(2);
        }
        // No latency warning: the full GC that "stats" asks for runs on the scheduler thread, on purpose.
        Scheduler scheduler = Scheduler.builder().name("c10k-server").latencyWarning(java.time.Duration.ZERO).build();
        C10kServer server = new C10kServer();
        SocketAddress consoleAddress = console;
        scheduler.run(() -> server.serve(scheduler, consoleAddress));
        if (server.openAtQuit >= 0) {
            say("shutdown open_before=" + server.openAtQuit + " fds_before=" + server.fdsAtQuit + " open_after="
                    + server.open + " fds_after=" + fds() + " coros_after=" + scheduler.stats().liveCoros()
                    + " ms=" + (System.nanoTime() - server.quitNanos) / 1_000_000);
        }
        System.exit(0); // the blocking worker that read stdin must not keep the JVM up
    }

    private Void serve(Scheduler scheduler, SocketAddress consoleAddress) throws IOException {
        try (CoroServerSocket listener = CoroServerSocket.bind(
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), DemoOptions.BACKLOG);
             Console console = consoleAddress != null ? Console.start(consoleAddress) : null) {
            Coro.spawn("acceptor", () -> acceptLoop(listener));
            int port = ((InetSocketAddress) listener.localAddress()).getPort();
            say("listening " + port + " switch=" + scheduler.switcherName() + " poller=" + scheduler.pollerName());
            if (console != null) {
                say("console " + console.address());
            }
            BufferedReader control = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            String line;
            while ((line = Coro.blocking(control::readLine)) != null) { // blocking: the pipe is not a CoroSocket
                switch (line.trim()) {
                    case "stats" -> say(stats(scheduler));
                    case "quit" -> {
                        quitNanos = System.nanoTime();
                        openAtQuit = open;
                        fdsAtQuit = fds();
                        return null; // the end of the run shuts every connection's coro down
                    }
                    default -> say("error unknown command '" + line + "'");
                }
            }
            return null; // the launcher is gone: returning shuts every connection's coro down
        }
    }

    private Void acceptLoop(CoroServerSocket listener) throws IOException {
        try {
            while (true) {
                CoroSocket client = listener.accept();
                accepted++;
                open++;
                Coro.spawn(() -> {
                    try {
                        return EchoServer.serve(client);
                    } finally {
                        open--;
                    }
                });
            }
        } catch (SocketClosedException shutDown) {
            return null;
        }
    }

    private String stats(Scheduler scheduler) {
        System.gc(); // heap "used" right after a full GC is what the connections keep alive
        long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        SchedulerStats s = scheduler.stats();
        return "stats open=" + open + " accepted=" + accepted + " heap=" + heap + " rss=" + rss()
                + " coros=" + s.liveCoros() + " timers=" + s.timerHeapSize() + " waits=" + s.waits() + " fds=" + fds();
    }

    /** Open file descriptors of this process (the listing's own not counted), or -1 without /proc/self/fd. */
    static long fds() {
        try (Stream<Path> list = Files.list(FDS)) {
            return list.count() - 1;
        } catch (IOException | RuntimeException notLinux) {
            return -1;
        }
    }

    /** Resident set size from /proc/self/status (VmRSS, in kB there), in bytes; -1 where there is none. */
    static long rss() {
        try {
            for (String l : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (l.startsWith("VmRSS:")) {
                    return Long.parseLong(l.substring(6).trim().split("\\s+")[0]) * 1024;
                }
            }
        } catch (IOException | RuntimeException notLinux) {
            // fall through: the table says "n/a"
        }
        return -1;
    }

    private static void say(String line) {
        System.out.println(line);
        System.out.flush();
    }
}
