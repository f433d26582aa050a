package dev.coro.bench.http;

import dev.coro.bench.echo.CpuShares;
import dev.coro.bench.echo.NetCounters;
import dev.coro.bench.echo.ProcCpu;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One measured wrk run against a server: a warm-up run of wrk (not measured, so the server's JIT has
 * compiled its hot paths), then {@code wrk -t1 -cN -dDs --latency}, with the server's CPU time
 * ({@code /proc/<pid>/stat}), how its CPU and the load's CPU spent the time ({@code /proc/stat}) and the
 * machine's dropped packets and TCP retransmissions read right before wrk starts and right after it
 * exits. That window holds wrk's own (it starts its clock before it connects and stops it at the end),
 * so it includes connecting and closing the N connections, alike for every server. Prints wrk's output,
 * then one {@code result {json}} line. Run it pinned to the load CPU: wrk inherits the affinity, and this
 * JVM only waits while wrk runs.
 */
public final class HttpLoad {
    private HttpLoad() {
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        HttpLoadOptions o;
        try {
            o = HttpLoadOptions.parse(args);
        } catch (HttpLoadOptions.BadFlag e) {
            System.err.println("HttpLoad: " + e.getMessage());
            System.err.println(HttpLoadOptions.USAGE);
            System.exit(2);
            return;
        }
        String url = "http://" + (o.host().contains(":") ? "[" + o.host() + "]" : o.host()) + ":" + o.port() + "/";
        if (o.warmupSeconds() > 0) {
            System.out.println("phase warmup");
            wrk(o, url, o.warmupSeconds(), false);
        }
        ProcCpu server = o.serverPid() == null ? null : new ProcCpu(o.serverPid(), o.clockTicks());
        NetCounters net0 = NetCounters.read();
        CpuShares serverShares0 = shares(o.serverCpu());
        CpuShares loadShares0 = shares(o.loadCpu());
        double cpu0 = server == null ? 0 : server.seconds();
        long t0 = System.nanoTime();
        System.out.println("phase measure");
        String out = wrk(o, url, o.durationSeconds(), true);
        double cpu1 = server == null ? 0 : server.seconds();
        double window = (System.nanoTime() - t0) / 1e9;
        CpuShares serverShares = serverShares0 == null ? null : shares(o.serverCpu()).minus(serverShares0);
        CpuShares loadShares = loadShares0 == null ? null : shares(o.loadCpu()).minus(loadShares0);
        NetCounters net = NetCounters.read().minus(net0);

        WrkOutput w;
        try {
            w = WrkOutput.parse(out);
        } catch (IllegalArgumentException e) {
            System.err.println("HttpLoad: " + e.getMessage());
            System.exit(1);
            return;
        }
        double cpu = cpu1 - cpu0;
        double util = cpu / window;
        // connections, server and the run's labels are the script's to add
        StringBuilder json = new StringBuilder("{").append(w.json());
        json.append(String.format(Locale.ROOT, ",\"window_s\":%.3f", window));
        if (server != null) {
            json.append(String.format(Locale.ROOT, ",\"server_cpu_s\":%.3f,\"server_cpu_util\":%.3f,\"cpu_us_per_req\":%s",
                    cpu, util, w.requests() > 0 ? String.format(Locale.ROOT, "%.3f", cpu * 1e6 / w.requests()) : "null"));
        }
        if (serverShares != null) {
            // busy counts every process on that CPU; the server's own part of it is what /proc/<pid>/stat said
            json.append(String.format(Locale.ROOT, ",\"server_cpu_idle\":%.3f,\"server_cpu_softirq\":%.3f,"
                            + "\"server_cpu_steal\":%.3f,\"server_cpu_others\":%s", serverShares.fraction(serverShares.idle()),
                    serverShares.fraction(serverShares.softirq()), serverShares.fraction(serverShares.steal()),
                    server == null ? "null" : String.format(Locale.ROOT, "%.3f",
                            Math.max(0, serverShares.fraction(serverShares.busy()) - util))));
        }
        if (loadShares != null) { // wrk and whatever else ran there: near 100% means wrk may be the bottleneck
            json.append(String.format(Locale.ROOT, ",\"load_cpu_busy\":%.3f", loadShares.fraction(loadShares.busy())));
        }
        json.append(String.format(Locale.ROOT, ",\"net_drops\":%d,\"tcp_retrans\":%d}", net.dropped(), net.retransmitted()));
        System.out.println("result " + json);
        if (w.socketErrors() > 0 || w.non2xx() > 0) {
            System.err.printf("HttpLoad: wrk saw %d socket errors and %d responses >= 400%n", w.socketErrors(), w.non2xx());
        }
    }

    /** Runs wrk for {@code seconds}, echoing and returning its output; a wrk that fails ends this JVM with 1. */
    private static String wrk(HttpLoadOptions o, String url, int seconds, boolean latency)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(o.wrk(), "-t1", "-c" + o.connections(), "-d" + seconds + "s"));
        if (latency) {
            cmd.add("--latency");
        }
        cmd.add(url);
        System.out.println("$ " + String.join(" ", cmd));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        // A run cut short (Ctrl-C, the script's TERM) must not leave wrk loading the machine.
        Thread reaper = new Thread(p::destroyForcibly);
        Runtime.getRuntime().addShutdownHook(reaper);
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes(); // until wrk exits: it stops itself after -d
        p.waitFor();
        Runtime.getRuntime().removeShutdownHook(reaper);
        String text = new String(out, StandardCharsets.UTF_8);
        System.out.print(text);
        if (p.exitValue() != 0) {
            System.err.println("HttpLoad: " + String.join(" ", cmd) + " exited with " + p.exitValue());
            System.exit(1);
        }
        return text;
    }

    private static CpuShares shares(int cpu) throws IOException {
        return cpu < 0 ? null : CpuShares.read(cpu);
    }
}
