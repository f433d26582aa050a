package dev.coro.examples.c10k;

import dev.coro.Scheduler;
import dev.coro.examples.c10k.DemoOptions.BadFlag;
import dev.coro.examples.c10k.LoadGenerator.Result;
import dev.coro.examples.c10k.ServerProcess.ServerStats;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;

/**
 * The c10k demo (bin/demo), in two processes of one scheduler thread each: this JVM starts
 * {@link C10kServer} (process 1, the echo server) and then runs the {@link LoadGenerator} itself
 * (process 2: one client coro per connection), shows its progress, and ends with the
 * {@link ResultTable}. Each side has its own fd limit, so 10,000 connections fit under 20,000 fds.
 * The server is stopped on every way out ({@link ServerProcess}). Exit status: 0 if every connection
 * opened and none failed, 1 if not (or the run broke), 2 for a bad flag.
 */
public final class C10kEchoDemo {
    /** File descriptors each process keeps for itself beyond its connections (jars, pipes, the poller). */
    private static final int FD_RESERVE = 256;

    private C10kEchoDemo() {
    }

    public static void main(String[] args) {
        int status = run(args, System.out, System.err, Progress.stdoutIsTerminal());
        System.exit(status);
    }

    /** The whole demo; returns the exit status. */
    static int run(String[] args, PrintStream out, PrintStream err, boolean terminal) {
        DemoOptions o;
        try {
            o = DemoOptions.parse(args);
            if (o.help()) {
                out.println(DemoOptions.USAGE);
                return 0;
            }
            checkLimits(o);
        } catch (BadFlag e) {
            err.println("bin/demo: " + e.getMessage() + " (bin/demo --help lists the flags)");
            return 2;
        }
        // No latency warning: on a shared machine a descheduled thread would print stacks over the progress
        // line; a stall shows up in the latency figures anyway.
        Scheduler scheduler;
        try {
            scheduler = Scheduler.builder().name("c10k-load").latencyWarning(Duration.ZERO).build();
        } catch (IllegalArgumentException | IllegalStateException badBackend) { // -Dcoro.switch=/-Dcoro.poller=
            err.println("bin/demo: " + badBackend.getMessage());
            return 2;
        }
        try (ServerProcess server = ServerProcess.start(Duration.ofSeconds(60), o.console())) {
            out.printf(Locale.ROOT, "c10k echo demo: %,d connections, %d-byte messages, one in flight each, for %s s%n",
                    o.connections(), o.size(), o.durationSeconds());
            out.printf(Locale.ROOT, "  server:         pid %d on 127.0.0.1:%d, switch '%s', poller '%s'%n",
                    server.pid(), server.port(), server.switcher(), server.poller());
            if (server.console() != null) {
                out.printf(Locale.ROOT, "  server console: %s (%s)%n", server.console(), o.console().matches("[0-9]+")
                        ? "nc 127.0.0.1 " + o.console() : "nc -U " + o.console());
            }
            out.printf(Locale.ROOT, "  load generator: pid %d, switch '%s', poller '%s'%n",
                    ProcessHandle.current().pid(), scheduler.switcherName(), scheduler.pollerName());
            ServerStats idle = server.stats(Duration.ofSeconds(30));
            Progress progress = new Progress(out, terminal);
            InetSocketAddress target = new InetSocketAddress(InetAddress.getLoopbackAddress(), server.port());
            Result r = scheduler.run(() -> new LoadGenerator(o, target, progress)
                    .run(() -> server.stats(Duration.ofSeconds(60))));
            ResultTable.print(out, r, o.size(), idle);
            if (r.errors() > 0 || r.peak() < o.connections()) {
                out.printf(Locale.ROOT, "FAILED: %,d of %,d connections were open at once, %,d errors%n",
                        r.peak(), o.connections(), r.errors());
                return 1;
            }
            return 0;
        } catch (Exception e) {
            err.println("bin/demo: the run broke: " + e);
            return 1;
        } finally {
            scheduler.close();
        }
    }

    /** Refuses a run this machine cannot hold, before any process starts, saying which limit and how to lift it. */
    private static void checkLimits(DemoOptions o) throws BadFlag {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.UnixOperatingSystemMXBean u
                && u.getMaxFileDescriptorCount() < (long) o.connections() + FD_RESERVE) {
            throw new BadFlag(String.format(Locale.ROOT, "--connections %d needs about %,d file descriptors in"
                            + " each process, but this one may open %,d (ulimit -n): raise the limit or ask for fewer",
                    o.connections(), o.connections() + FD_RESERVE, u.getMaxFileDescriptorCount()));
        }
        long somaxconn = readLong("/proc/sys/net/core/somaxconn");
        long backlog = somaxconn > 0 ? Math.min(somaxconn, DemoOptions.BACKLOG) : DemoOptions.BACKLOG;
        if (o.pending() > backlog) {
            throw new BadFlag("--pending " + o.pending() + " is more than the server's accept backlog, " + backlog
                    + " (" + DemoOptions.BACKLOG + " capped by net.core.somaxconn): connects beyond it would wait for"
                    + " SYN retries");
        }
        String range = readString("/proc/sys/net/ipv4/ip_local_port_range");
        if (range != null) {
            String[] lohi = range.trim().split("\\s+");
            long ports = Long.parseLong(lohi[1]) - Long.parseLong(lohi[0]) + 1;
            if (o.connections() > ports) {
                throw new BadFlag(String.format(Locale.ROOT, "--connections %d is more than the %,d local ports of"
                        + " net.ipv4.ip_local_port_range (%s) that connections to one server port can use",
                        o.connections(), ports, range.trim()));
            }
        }
    }

    private static long readLong(String file) {
        String s = readString(file);
        try {
            return s == null ? -1 : Long.parseLong(s.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static String readString(String file) {
        try {
            // Not Files.readString: for a /proc file (size 0) it can return the first byte only.
            return String.join("\n", Files.readAllLines(Path.of(file)));
        } catch (IOException | RuntimeException notLinux) {
            return null;
        }
    }
}
