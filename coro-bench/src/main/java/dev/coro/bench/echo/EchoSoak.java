package dev.coro.bench.echo;

import dev.coro.Coro;
import dev.coro.CoroTimeoutException;
import dev.coro.Scheduler;
import dev.coro.bench.echo.Flags.BadFlag;
import dev.coro.examples.c10k.ServerProcess;
import dev.coro.examples.c10k.ServerProcess.ServerStats;
import dev.coro.examples.c10k.ServerProcess.ShutdownReport;

import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The soak (bin/soak, {@code -Psoak}): coro-examples' c10k echo server ({@code C10kServer}: EchoServer
 * behind one acceptor, one scheduler thread) in a process of its own, loaded by {@link SoakLoad} from
 * this one for {@code --duration}, then drained, then shut down under load. What it asserts, each a
 * line of its verdict:
 * <ul>
 * <li>every sample (the server's stats every {@code --sample} s, taken at one instant of its loop):
 * live coros beyond one per open connection never exceed what the idle server had, nor do fds beyond
 * one per open connection, but for {@value #FD_SLACK} (what the JVM opens by itself) and closes in
 * flight (see {@link #checkSample}); timers and outside waits never exceed the idle server's plus
 * one per open connection;
 * <li>the heap after a full GC at the last sample is within {@code --heap-tolerance} of the reference
 * sample's, taken at the second minute; a run too short for that (under 6 minutes) takes its reference
 * a third of the way in and checks growth only, as its server is still warming up (its heap falls);
 * <li>no client error: every connect succeeded, every echoed byte matched, every clean life's streams
 * matched in length and CRC-32;
 * <li>drained (every client gone): the server's coros, timers and waits are back to the idle server's,
 * fds to at most it plus {@value #FD_SLACK};
 * <li>shutdown under load: with {@code --connections} held open, the server's end of run leaves no
 * connection, no coro and no more fds than the idle server had, within {@code --shutdown-bound}, and
 * every held client sees its connection closed within that bound.
 * </ul>
 * Exit status: 0 if all hold, 1 if not (or the run broke), 2 for a bad flag. Seeded: the seed is printed
 * first, and {@code --seed} repeats every random choice (not the timing, which is the machine's).
 */
public final class EchoSoak {
    /** Fds the server's JVM may open by itself beyond the idle server's count (class loading, /proc reads). */
    static final int FD_SLACK = 8;
    private static final Duration CONTROL_TIMEOUT = Duration.ofSeconds(120);

    private final SoakOptions o;
    private final long seed;
    private final PrintStream out;
    private final List<String> failures = new ArrayList<>();

    private EchoSoak(SoakOptions o, long seed, PrintStream out) {
        this.o = o;
        this.seed = seed;
        this.out = out;
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** The whole soak; returns the exit status. */
    static int run(String[] args, PrintStream out, PrintStream err) {
        SoakOptions o;
        try {
            o = SoakOptions.parse(args);
        } catch (BadFlag e) {
            err.println("bin/soak: " + e.getMessage() + " (bin/soak --help lists the flags)");
            return 2;
        }
        if (o.help()) {
            out.println(SoakOptions.USAGE);
            return 0;
        }
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.UnixOperatingSystemMXBean u
                && u.getMaxFileDescriptorCount() < o.connections() + 256L) {
            err.printf(Locale.ROOT, "bin/soak: --connections %d needs about %,d fds in each process; ulimit -n allows %,d%n",
                    o.connections(), o.connections() + 256, u.getMaxFileDescriptorCount());
            return 2;
        }
        long seed = o.seed() != null ? o.seed() : new SecureRandom().nextLong();
        out.println("soak seed " + seed + " (repeat its choices with --seed " + seed + ")");
        Scheduler scheduler = Scheduler.builder().name("soak-load").latencyWarning(Duration.ZERO).build();
        try (ServerProcess server = ServerProcess.start(Duration.ofSeconds(60))) {
            return scheduler.run(() -> new EchoSoak(o, seed, out).soak(server, scheduler));
        } catch (Exception e) {
            err.println("bin/soak: the run broke: " + e);
            return 1;
        } finally {
            scheduler.close();
        }
    }

    private int soak(ServerProcess server, Scheduler scheduler) throws Exception {
        out.printf(Locale.ROOT, "soak: %,d connections for %s s against the echo server (pid %d, switch '%s', poller '%s');"
                        + " load: pid %d, switch '%s', poller '%s'%n", o.connections(), num(o.durationSeconds()),
                server.pid(), server.switcher(), server.poller(), ProcessHandle.current().pid(),
                scheduler.switcherName(), scheduler.pollerName());
        out.printf(Locale.ROOT, "soak: messages 1 B..%,d B log-uniform, idle 0..%s s, lives %s..%s s, %.0f%% resets,"
                        + " %.0f%% slowloris (a byte every 1..%s s)%n", o.maxSize(), num(o.idleSeconds()),
                num(o.lifeMinSeconds()), num(o.lifeMaxSeconds()), o.resets() * 100, o.slowloris() * 100,
                num(o.slowlorisGapSeconds()));
        ServerStats idle = stats(server);
        out.println("soak: idle server: " + describe(idle));
        InetSocketAddress target = new InetSocketAddress(InetAddress.getLoopbackAddress(), server.port());
        SoakLoad load = new SoakLoad(o, target);

        long start = System.nanoTime();
        load.start(new SplittableRandom(seed));
        ServerStats reference = null;
        ServerStats last = idle;
        double referenceAt = 0;
        ServerStats previous = idle;
        double previousAt = 0;
        double elapsed;
        while ((elapsed = (System.nanoTime() - start) / 1e9) < o.durationSeconds()) {
            Coro.sleep(Duration.ofNanos((long) (Math.min(o.sampleSeconds(), o.durationSeconds() - elapsed) * 1e9)));
            last = stats(server);
            elapsed = (System.nanoTime() - start) / 1e9;
            if (reference == null && elapsed >= o.heapReferenceSeconds()) {
                reference = last;
                referenceAt = elapsed;
            }
            checkSample(idle, previous, last, elapsed, elapsed - previousAt);
            previous = last;
            previousAt = elapsed;
            out.printf(Locale.ROOT, "soak %5.0f/%s s: %s | server: %s%n", elapsed, num(o.durationSeconds()),
                    describe(load.counts()), describe(last));
        }
        double loadSeconds = (System.nanoTime() - start) / 1e9;
        Duration drainBound = Duration.ofNanos((long) ((o.idleSeconds() + o.slowlorisGapSeconds() + 60) * 1e9))
                .plus(SoakLoad.IO_TIMEOUT);
        try {
            load.stop(drainBound);
        } catch (CoroTimeoutException stuck) {
            fail("clients still running " + drainBound + " after the end of the load");
        }
        SoakLoad.Counts counts = load.counts();
        ServerStats drained = drained(server);
        out.println("soak: drained: " + describe(counts) + " | server: " + describe(drained));
        check(drained.open() == 0, "the server still has " + drained.open() + " connections after every client left");
        check(drained.coros() == idle.coros(), "server coros after the drain: " + drained.coros() + ", idle: " + idle.coros());
        check(drained.timers() == idle.timers(), "server timers after the drain: " + drained.timers() + ", idle: " + idle.timers());
        check(drained.waits() == idle.waits(), "server waits after the drain: " + drained.waits() + ", idle: " + idle.waits());
        check(drained.fds() <= idle.fds() + FD_SLACK, "server fds after the drain: " + drained.fds() + ", idle: " + idle.fds());
        double heapChange = Double.NaN;
        if (reference == null || reference == last) {
            fail("no heap reference sample before the last one: use --sample below " + num(o.heapReferenceSeconds()));
        } else {
            heapChange = (double) (last.heapBytes() - reference.heapBytes()) / reference.heapBytes();
            // For its first two minutes the server's heap falls (10,000 connections: 42.6 MiB at 11 s, down
            // steadily to 21.8 MiB at 124 s, then flat), as the connections opened before it warmed up are
            // replaced (lives end by 120 s); probably their suspended stacks hold interpreted frames. A run
            // too short for that checks growth only.
            boolean twoSided = o.heapReferenceSeconds() >= SoakOptions.HEAP_REFERENCE_SECONDS;
            check(twoSided ? Math.abs(heapChange) <= o.heapTolerance() : heapChange <= o.heapTolerance(),
                    String.format(Locale.ROOT, "server heap after GC went from %s (at %.0f s) to %s (at the end):"
                            + " %+.1f%%, beyond %s%.0f%%", mib(reference.heapBytes()), referenceAt,
                            mib(last.heapBytes()), heapChange * 100, twoSided ? "±" : "+", o.heapTolerance() * 100));
            out.printf(Locale.ROOT, "soak: server heap after GC: %s at %.0f s, %s at the end (%+.1f%%; allowed %s%.0f%%)%n",
                    mib(reference.heapBytes()), referenceAt, mib(last.heapBytes()), heapChange * 100,
                    twoSided ? "±" : "+", o.heapTolerance() * 100);
        }
        check(counts.errors() == 0, counts.errors() + " client errors; the first: " + load.firstErrors());

        Duration bound = Duration.ofNanos((long) (o.shutdownBoundSeconds() * 1e9));
        out.printf(Locale.ROOT, "soak: shutdown under load: opening %,d connections, then ending the server's run%n",
                o.connections());
        SoakLoad.Held<ShutdownReport> held = load.holdAndQuit(o.connections(), () -> server.quit(bound), bound);
        ShutdownReport r = held.report();
        out.printf(Locale.ROOT, "soak: shutdown: %,d connections held; the server's run ended in %,d ms (bound %s s):"
                        + " connections %,d -> %,d, fds %,d -> %,d (idle %,d), coros abandoned %d; %,d clients saw"
                        + " the close%n", held.held(), r.millis(), num(o.shutdownBoundSeconds()), r.openBefore(),
                r.openAfter(), r.fdsBefore(), r.fdsAfter(), idle.fds(), r.corosAfter(), held.sawClose());
        check(held.held() == o.connections(), "only " + held.held() + " of " + o.connections() + " connections opened for the shutdown");
        check(r.openBefore() == held.held(), "the server had " + r.openBefore() + " connections at the quit, the clients " + held.held());
        check(r.openAfter() == 0, r.openAfter() + " connections' coros did not unwind at the end of the run");
        check(r.corosAfter() == 0, r.corosAfter() + " coros abandoned at the end of the run");
        check(r.fdsAfter() <= idle.fds(), "fds after the run: " + r.fdsAfter() + ", more than the idle server's " + idle.fds());
        check(r.millis() <= bound.toMillis(), "the end of the run took " + r.millis() + " ms, beyond the bound " + bound);
        check(held.sawClose() == held.held(), (held.held() - held.sawClose()) + " held clients did not see the close");
        counts = load.counts();
        check(counts.errors() == 0, counts.errors() + " client errors; the first: " + load.firstErrors());

        out.printf(Locale.ROOT, "result {\"seed\":%d,\"connections\":%d,\"duration_s\":%.1f,\"lives\":%d,\"clean_lives\":%d,"
                        + "\"reset_lives\":%d,\"slowloris_lives\":%d,\"messages\":%d,\"bytes_verified\":%d,\"errors\":%d,"
                        + "\"heap_reference\":%d,\"heap_last\":%d,\"heap_change\":%s,\"shutdown_ms\":%d,"
                        + "\"shutdown_connections\":%d,\"fds_idle\":%d,\"fds_after_shutdown\":%d,\"failures\":%d}%n",
                seed, o.connections(), loadSeconds, counts.lives(), counts.cleanLives(), counts.resetLives(),
                counts.slowlorisLives(), counts.messages(), counts.bytesVerified(), counts.errors(),
                reference == null ? -1 : reference.heapBytes(), last.heapBytes(),
                Double.isNaN(heapChange) ? "null" : String.format(Locale.ROOT, "%.4f", heapChange), r.millis(),
                r.openBefore(), idle.fds(), r.fdsAfter(), failures.size());
        if (failures.isEmpty()) {
            out.printf(Locale.ROOT, "PASSED: %,d connections for %s s, %,d lives (%,d reset, %,d slowloris), %s verified,"
                            + " 0 leaks (seed %d)%n", o.connections(), num(o.durationSeconds()), counts.lives(),
                    counts.resetLives(), counts.slowlorisLives(), mib(counts.bytesVerified()), seed);
            return 0;
        }
        for (String f : failures) {
            out.println("FAILED: " + f);
        }
        out.println("FAILED: " + failures.size() + " check(s) (seed " + seed + ")");
        return 1;
    }

    /**
     * The per-sample invariants: no coro beyond one per open connection, no fd beyond one per connection
     * but for closes in flight, and bounded timers and waits. NIO closes the fd of a socket registered
     * with a selector only when the selector next deregisters it, so a sample may count the fds of
     * connections closed since the loop's last poll: up to one second of closes (the accepts since the
     * previous sample per second, at this steady population) is allowed for them. The drained check is
     * exact.
     */
    private void checkSample(ServerStats idle, ServerStats previous, ServerStats s, double at, double seconds) {
        String when = String.format(Locale.ROOT, " at %.0f s", at);
        long closesPerSecond = (long) Math.ceil((s.accepted() - previous.accepted()) / Math.max(seconds, 1e-9));
        check(s.coros() - s.open() <= idle.coros(), "server coros " + s.coros() + " for " + s.open()
                + " connections: more than one each beyond the idle " + idle.coros() + when);
        check(s.fds() - s.open() <= idle.fds() + FD_SLACK + closesPerSecond, "server fds " + s.fds() + " for "
                + s.open() + " connections: more than one each beyond the idle " + idle.fds() + " and "
                + closesPerSecond + " closes in flight" + when);
        check(s.timers() <= idle.timers() + s.open(), "server timers " + s.timers() + " for " + s.open() + " connections" + when);
        check(s.waits() <= idle.waits() + s.open(), "server waits " + s.waits() + " for " + s.open() + " connections" + when);
    }

    /** The server's stats once every connection is gone (its coros end a moment after their clients), within 60 s. */
    private ServerStats drained(ServerProcess server) throws Exception {
        ServerStats s = stats(server);
        for (int i = 0; i < 60 && s.open() > 0; i++) {
            Coro.sleep(Duration.ofSeconds(1));
            s = stats(server);
        }
        return s;
    }

    private static ServerStats stats(ServerProcess server) {
        return Coro.blocking(() -> server.stats(CONTROL_TIMEOUT));
    }

    private void check(boolean ok, String failure) {
        if (!ok && failures.size() < 100) {
            failures.add(failure);
            out.println("soak: CHECK FAILED: " + failure);
        }
    }

    private void fail(String failure) {
        check(false, failure);
    }

    private static String describe(ServerStats s) {
        return String.format(Locale.ROOT, "%,d open (%,d accepted), %,d coros, %,d timers, %,d waits, %,d fds, heap %s,"
                + " RSS %s", s.open(), s.accepted(), s.coros(), s.timers(), s.waits(), s.fds(), mib(s.heapBytes()),
                mib(s.rssBytes()));
    }

    private static String describe(SoakLoad.Counts c) {
        return String.format(Locale.ROOT, "%,d open, %,d lives (%,d clean, %,d reset, %,d slowloris), %,d msgs, %s verified,"
                + " %,d errors", c.open(), c.lives(), c.cleanLives(), c.resetLives(), c.slowlorisLives(), c.messages(),
                mib(c.bytesVerified()), c.errors());
    }

    private static String mib(long bytes) {
        return bytes < 0 ? "n/a" : String.format(Locale.ROOT, "%.1f MiB", bytes / 1048576.0);
    }

    private static String num(double seconds) {
        return seconds == Math.rint(seconds) ? String.valueOf((long) seconds) : String.valueOf(seconds);
    }
}
