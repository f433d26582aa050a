package dev.coro.bench.echo;

import dev.coro.examples.c10k.LatencyHistogram;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * The echo load generator: one thread, one NIO selector, N connections, each with one message in
 * flight (send it, wait for the whole echo, check every byte, record the latency, send the next).
 *
 * <p>Phases, each announced on stdout as {@code phase <name> ...}: <b>ramp</b> opens the connections
 * with at most {@code --connect-window} of them unconfirmed at once; a connection counts as open only
 * once its first echo came back, so a connect the server never accepted (a full accept queue drops
 * the handshake silently) is never counted, and the window, kept at or below the server's backlog,
 * never overflows that queue. Then <b>warmup</b> (all connections exchanging, nothing recorded) and
 * <b>measure</b>: at its first and last instant the generator reads the server's CPU time from
 * {@code /proc}, so messages, latencies, wall time and server CPU cover exactly the same window. Last,
 * one {@code result {json}} line.
 */
public final class EchoLoad {
    private enum Phase { RAMP, WARMUP, MEASURE, DONE }

    private static final long STALL_NANOS = 1_000_000_000L;
    private static final int MAX_LOGGED = 5;

    private final LoadOptions o;
    private final Selector selector;
    private final InetSocketAddress server;
    private final ByteBuffer out;
    private final ByteBuffer in;
    private final Consumer<SelectionKey> onKey = this::onKey; // one instance: select(action) per pass
    private final LatencyHistogram histogram = new LatencyHistogram();
    private final ProcCpu serverCpu;
    private final List<EchoConnection> pending = new ArrayList<>();
    private final List<EchoConnection> open = new ArrayList<>();

    private Phase phase = Phase.RAMP;
    private int attempts;
    private int opened;
    private int connectFailures;
    private int broken;
    private int mismatches;
    private long measured;

    private EchoLoad(LoadOptions o) throws IOException {
        this.o = o;
        this.selector = Selector.open();
        this.server = new InetSocketAddress(o.host(), o.port());
        if (server.isUnresolved()) {
            throw new IOException("cannot resolve --host " + o.host());
        }
        this.out = ByteBuffer.allocateDirect(o.size());
        this.in = ByteBuffer.allocateDirect(Math.max(o.size(), 64 * 1024));
        this.serverCpu = o.serverPid() == null ? null : new ProcCpu(o.serverPid(), o.clockTicks());
    }

    public static void main(String[] args) throws IOException {
        LoadOptions options;
        try {
            options = LoadOptions.parse(args);
        } catch (Flags.BadFlag e) {
            System.err.println("EchoLoad: " + e.getMessage());
            System.err.println(LoadOptions.USAGE);
            System.exit(2);
            return;
        }
        System.exit(new EchoLoad(options).run());
    }

    /** Runs every phase, prints the result line; returns the exit status (1: nothing could be measured). */
    private int run() throws IOException {
        long start = System.nanoTime();
        say("phase ramp connections=" + o.connections() + " window=" + o.connectWindow());
        long rampDeadline = start + nanos(o.rampTimeoutSeconds());
        while (ramping(System.nanoTime(), rampDeadline)) {
            selector.select(onKey, 10);
        }
        long rampEnd = System.nanoTime();
        if (opened == 0) {
            NetCounters none = new NetCounters(0, 0);
            say("result " + json(0, 0, 0, 0, 0, (rampEnd - start) / 1e9, none, none, ""));
            System.err.println("EchoLoad: no connection could be opened to " + server);
            return 1;
        }
        if (opened < o.connections()) {
            System.err.printf("EchoLoad: only %d of %d connections opened (%d connects failed)%n",
                    opened, o.connections(), connectFailures);
        }
        phase = Phase.WARMUP;
        say(String.format(Locale.ROOT, "phase warmup open=%d ramp_s=%.2f", opened, (rampEnd - start) / 1e9));
        for (EchoConnection c : open) {
            if (c.state == EchoConnection.State.IDLE) {
                c.state = EchoConnection.State.RUNNING;
                send(c);
            }
        }
        NetCounters warmupNet = NetCounters.read();
        runUntil(rampEnd + nanos(o.warmupSeconds()));

        NetCounters net0 = NetCounters.read();
        CpuShares shares0 = serverCpuShares();
        double cpu0 = serverCpuSeconds();
        double self0 = selfCpuSeconds();
        long t0 = System.nanoTime();
        phase = Phase.MEASURE;
        say("phase measure");
        runUntil(t0 + nanos(o.durationSeconds()));
        double cpu1 = serverCpuSeconds();
        double self1 = selfCpuSeconds();
        long t1 = System.nanoTime();
        phase = Phase.DONE;
        CpuShares shares = shares0 == null ? null : serverCpuShares().minus(shares0);
        NetCounters net = NetCounters.read().minus(net0);
        NetCounters warmNet = net0.minus(warmupNet);

        int stalled = 0;
        for (EchoConnection c : open) {
            if (c.state == EchoConnection.State.RUNNING && t1 - c.sentAt > STALL_NANOS) {
                stalled++;
            }
        }
        say("phase done");
        if (net.retransmitted() > 0) { // a dropped pure ACK costs nothing; a retransmission costs a timeout
            System.err.printf("EchoLoad: in the measured window the machine retransmitted %d TCP segments (and"
                    + " dropped %d packets): the latencies include those timeouts%n",
                    net.retransmitted(), net.dropped());
        }
        say("result " + json((t1 - t0) / 1e9, cpu1 - cpu0, self1 - self0, stalled, countOpen(),
                (rampEnd - start) / 1e9, net, warmNet, cpuSharesJson(shares, (cpu1 - cpu0) / ((t1 - t0) / 1e9))));
        for (EchoConnection c : open) {
            close(c);
        }
        selector.close();
        return 0;
    }

    /** One ramp step; false once every connection is open, or failed past the limit, or time is up. */
    private boolean ramping(long now, long deadline) {
        for (int i = pending.size() - 1; i >= 0; i--) {
            EchoConnection c = pending.get(i);
            if (!c.pending()) {
                removeAt(pending, i);
            } else if (now - c.deadline > 0 || now - deadline > 0) {
                removeAt(pending, i);
                connectFailed(c, "no echo within the connect timeout");
            }
        }
        if (now - deadline > 0) {
            return false;
        }
        boolean mayStart = connectFailures <= o.maxConnectFailures();
        while (mayStart && opened + pending.size() < o.connections() && pending.size() < o.connectWindow()) {
            EchoConnection c = connect(now);
            if (c != null && c.pending()) {
                pending.add(c);
            }
            mayStart = connectFailures <= o.maxConnectFailures();
        }
        return !pending.isEmpty() && opened < o.connections();
    }

    private EchoConnection connect(long now) {
        SocketChannel ch;
        try {
            ch = SocketChannel.open();
        } catch (IOException e) {
            connectFailures++;
            log(connectFailures, "cannot open a socket: " + e);
            return null;
        }
        EchoConnection c = new EchoConnection(attempts++, ch, now + nanos(o.connectTimeoutSeconds()));
        try {
            ch.configureBlocking(false);
            ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
            boolean done = ch.connect(server);
            c.key = ch.register(selector, done ? SelectionKey.OP_READ : SelectionKey.OP_CONNECT, c);
            if (done) {
                c.state = EchoConnection.State.CONFIRMING;
                send(c);
            }
        } catch (IOException e) {
            connectFailed(c, e.toString());
        }
        return c;
    }

    /** Runs the event loop until {@code end} (a nanoTime): wakes at least every 100 ms to check. */
    private void runUntil(long end) throws IOException {
        long left;
        while ((left = end - System.nanoTime()) > 0) {
            long ms = Math.min(100, left / 1_000_000);
            if (ms == 0) {
                selector.selectNow(onKey);
            } else {
                selector.select(onKey, ms);
            }
        }
    }

    private void onKey(SelectionKey key) {
        EchoConnection c = (EchoConnection) key.attachment();
        try {
            int ready = key.readyOps();
            if ((ready & SelectionKey.OP_CONNECT) != 0) {
                if (c.channel.finishConnect()) {
                    c.state = EchoConnection.State.CONFIRMING;
                    key.interestOps(SelectionKey.OP_READ);
                    send(c);
                }
                return;
            }
            if ((ready & SelectionKey.OP_WRITE) != 0) {
                write(c);
            }
            if ((ready & SelectionKey.OP_READ) != 0 && c.state != EchoConnection.State.CLOSED) {
                read(c);
            }
        } catch (IOException e) {
            if (c.pending()) {
                connectFailed(c, e.toString());
            } else {
                broken(c, e.toString());
            }
        }
    }

    private void send(EchoConnection c) throws IOException {
        c.written = 0;
        c.received = 0;
        c.sentAt = System.nanoTime();
        write(c);
    }

    private void write(EchoConnection c) throws IOException {
        c.fill(out, c.written, o.size());
        c.written += c.channel.write(out);
        boolean partial = c.written < o.size();
        if (partial != c.wantWrite) { // OP_WRITE only while a write is partial
            c.wantWrite = partial;
            c.key.interestOps(partial ? SelectionKey.OP_READ | SelectionKey.OP_WRITE : SelectionKey.OP_READ);
        }
    }

    private void read(EchoConnection c) throws IOException {
        boolean inFlight = c.state != EchoConnection.State.IDLE;
        in.clear();
        // Never read past the message in flight: a byte beyond it is the server's error, caught next read.
        in.limit(inFlight ? Math.min(in.capacity(), o.size() - c.received) : in.capacity());
        int n = c.channel.read(in);
        if (n < 0) {
            if (c.pending()) {
                connectFailed(c, "closed by the server before the first echo");
            } else {
                broken(c, "closed by the server");
            }
            return;
        }
        if (n > 0 && !inFlight) {
            mismatch(c, n + " unsolicited bytes while idle");
            return;
        }
        for (int i = 0; i < n; i++) {
            if (in.get(i) != EchoConnection.expected(c.id, c.seq, c.received + i)) {
                mismatch(c, "byte " + (c.received + i) + " of message " + c.seq + " differs");
                return;
            }
        }
        c.received += n;
        if (c.received == o.size()) {
            long latency = System.nanoTime() - c.sentAt;
            c.seq++;
            if (c.state == EchoConnection.State.CONFIRMING) {
                c.state = EchoConnection.State.IDLE;
                opened++;
                open.add(c);
                return;
            }
            if (phase == Phase.MEASURE) {
                histogram.record(latency);
                measured++;
            }
            send(c);
        }
    }

    private void connectFailed(EchoConnection c, String why) {
        connectFailures++;
        log(connectFailures, "connect #" + c.id + " failed: " + why);
        close(c);
    }

    private void broken(EchoConnection c, String why) {
        broken++;
        log(broken, "connection #" + c.id + " lost in phase " + phase + ": " + why);
        close(c);
    }

    private void mismatch(EchoConnection c, String why) {
        if (c.pending()) {
            connectFailed(c, "wrong first echo: " + why);
            return;
        }
        mismatches++;
        log(mismatches, "connection #" + c.id + " echoed wrong bytes: " + why);
        close(c);
    }

    private static void close(EchoConnection c) {
        c.state = EchoConnection.State.CLOSED;
        try {
            c.channel.close(); // also cancels the key
        } catch (IOException ignored) {
            // closing is the end of this connection either way
        }
    }

    private int countOpen() {
        int n = 0;
        for (EchoConnection c : open) {
            if (c.state != EchoConnection.State.CLOSED) {
                n++;
            }
        }
        return n;
    }

    private String json(double seconds, double serverSeconds, double selfCpu, int stalled, int stillOpen,
                        double rampSeconds, NetCounters net, NetCounters warmupNet, String more) {
        boolean cpu = serverCpu != null && seconds > 0;
        double us = 1e-3; // histogram values are nanoseconds
        return String.format(Locale.ROOT, "{\"connections_requested\":%d,\"connections_open\":%d,"
                        + "\"connections_at_end\":%d,\"connect_failures\":%d,\"broken\":%d,\"mismatches\":%d,"
                        + "\"errors\":%d,\"stalled\":%d,\"msgs\":%d,\"duration_s\":%.3f,\"msgs_per_s\":%.0f,"
                        + "\"p50_us\":%.1f,\"p99_us\":%.1f,\"p999_us\":%.1f,\"max_us\":%.1f,\"mean_us\":%.1f,"
                        + "\"latency_rel_error\":%.4f,\"server_cpu_s\":%s,\"server_cpu_util\":%s,"
                        + "\"cpu_us_per_msg\":%s,\"load_cpu_util\":%.3f,\"ramp_s\":%.2f,\"size\":%d,"
                        + "\"net_drops\":%d,\"tcp_retrans\":%d,\"warmup_net_drops\":%d,\"warmup_tcp_retrans\":%d%s}",
                o.connections(), opened, stillOpen, connectFailures, broken, mismatches,
                connectFailures + broken + mismatches, stalled, measured, seconds,
                seconds > 0 ? measured / seconds : 0.0,
                histogram.quantile(0.5) * us, histogram.quantile(0.99) * us, histogram.quantile(0.999) * us,
                histogram.max() * us, histogram.mean() * us, LatencyHistogram.RELATIVE_ERROR,
                cpu ? String.format(Locale.ROOT, "%.3f", serverSeconds) : "null",
                cpu ? String.format(Locale.ROOT, "%.3f", serverSeconds / seconds) : "null",
                cpu && measured > 0 ? String.format(Locale.ROOT, "%.3f", serverSeconds * 1e6 / measured) : "null",
                seconds > 0 ? selfCpu / seconds : 0.0, rampSeconds, o.size(), net.dropped(), net.retransmitted(),
                warmupNet.dropped(), warmupNet.retransmitted(), more);
    }

    /** How the server's CPU spent the window, as more fields of the result, or nothing without --server-cpu. */
    private String cpuSharesJson(CpuShares s, double serverUtil) {
        if (s == null) {
            return "";
        }
        // busy counts every process on that CPU; the server's part of it is what /proc/<pid>/stat said
        double others = serverCpu == null ? Double.NaN : Math.max(0, s.fraction(s.busy()) - serverUtil);
        return String.format(Locale.ROOT, ",\"server_cpu_idle\":%.3f,\"server_cpu_softirq\":%.3f,"
                        + "\"server_cpu_steal\":%.3f,\"server_cpu_others\":%s", s.fraction(s.idle()),
                s.fraction(s.softirq()), s.fraction(s.steal()),
                Double.isNaN(others) ? "null" : String.format(Locale.ROOT, "%.3f", others));
    }

    private CpuShares serverCpuShares() throws IOException {
        return o.serverCpu() < 0 ? null : CpuShares.read(o.serverCpu());
    }

    /** The server's CPU seconds so far, or -1 when no --server-pid was given. */
    private double serverCpuSeconds() throws IOException {
        return serverCpu == null ? -1 : serverCpu.seconds();
    }

    private static double selfCpuSeconds() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime() / 1e9;
    }

    private static void removeAt(List<EchoConnection> list, int i) {
        int last = list.size() - 1;
        list.set(i, list.get(last)); // order does not matter: swap with the last
        list.remove(last);
    }

    private static long nanos(double seconds) {
        return (long) (seconds * 1e9);
    }

    private static void log(int count, String message) {
        if (count <= MAX_LOGGED) {
            System.err.println("EchoLoad: " + message + (count == MAX_LOGGED ? " (further ones not logged)" : ""));
        }
    }

    private static void say(String line) {
        System.out.println(line);
        System.out.flush();
    }
}
