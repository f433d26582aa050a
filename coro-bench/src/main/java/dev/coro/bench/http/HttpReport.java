package dev.coro.bench.http;

import dev.coro.bench.echo.EchoReport;
import dev.coro.bench.echo.FlatJson;
import dev.coro.bench.echo.ServerArgs;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The table of an HTTP run: reads the JSON lines {@code bin/http-bench} wrote (one per server run) and
 * prints, per connection count and variant, the median and the spread (min–max) over the repeats, and
 * the medians as ratios to Netty on NIO with one loop (the peer a Java user would reach for) of the same
 * connection count. Formatting is the echo report's. Argument: the results file.
 */
public final class HttpReport {
    private static final String BASELINE = "netty-nio";

    private HttpReport() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            ServerArgs.fail("usage: HttpReport <results.jsonl>");
        }
        List<Map<String, Object>> runs;
        try {
            runs = FlatJson.readLines(Path.of(args[0]));
        } catch (IllegalArgumentException e) {
            runs = ServerArgs.fail(e.getMessage());
        }
        System.out.print(table(runs));
    }

    static String table(List<Map<String, Object>> runs) {
        // connections -> variant (in order of first run) -> its runs
        Map<Long, Map<String, List<Map<String, Object>>>> groups = new TreeMap<>();
        for (Map<String, Object> r : runs) {
            if (!(r.get("connections") instanceof Number c) || !(r.get("variant") instanceof String v)) {
                throw new IllegalArgumentException("a run without connections or variant: " + r);
            }
            groups.computeIfAbsent(c.longValue(), k -> new LinkedHashMap<>())
                    .computeIfAbsent(v, k -> new ArrayList<>()).add(r);
        }
        StringBuilder out = new StringBuilder();
        for (var byCount : groups.entrySet()) {
            out.append(String.format(Locale.ROOT, "%n%,d connections, wrk -t1 (median [min–max] over runs; ×: median "
                    + "over %s's median; busy: share of the window on CPU; others: what other programs took of "
                    + "the server's CPU)%n%n", byCount.getKey(), BASELINE));
            out.append("| variant | runs | requests/s | × | p50 µs | p90 µs | p99 µs | server CPU µs/req | × "
                    + "| server busy | others on its CPU | load busy | errors c/r/w/t | non-2xx |\n");
            out.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
            List<Map<String, Object>> base = byCount.getValue().get(BASELINE);
            double baseRate = base == null ? Double.NaN : EchoReport.median(values(base, "requests_per_s"));
            double baseCpu = base == null ? Double.NaN : EchoReport.median(values(base, "cpu_us_per_req"));
            for (var v : byCount.getValue().entrySet()) {
                List<Map<String, Object>> rs = v.getValue();
                double[] rate = values(rs, "requests_per_s");
                double[] cpu = values(rs, "cpu_us_per_req");
                out.append(String.format(Locale.ROOT, "| %s | %d | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %d/%d/%d/%d | %d |%n",
                        v.getKey(), rs.size(), EchoReport.spread(rate, EchoReport::rate),
                        EchoReport.ratio(EchoReport.median(rate), baseRate),
                        EchoReport.spread(values(rs, "p50_us"), EchoReport::micros),
                        EchoReport.spread(values(rs, "p90_us"), EchoReport::micros),
                        EchoReport.spread(values(rs, "p99_us"), EchoReport::micros),
                        EchoReport.spread(cpu, EchoReport::micros), EchoReport.ratio(EchoReport.median(cpu), baseCpu),
                        EchoReport.percent(EchoReport.median(values(rs, "server_cpu_util"))),
                        EchoReport.percent(EchoReport.median(values(rs, "server_cpu_others"))),
                        EchoReport.percent(EchoReport.median(values(rs, "load_cpu_busy"))),
                        sum(rs, "errors_connect"), sum(rs, "errors_read"), sum(rs, "errors_write"),
                        sum(rs, "errors_timeout"), sum(rs, "non2xx")));
            }
        }
        return out.toString();
    }

    private static double[] values(List<Map<String, Object>> runs, String key) {
        double[] d = new double[runs.size()];
        for (int i = 0; i < d.length; i++) {
            d[i] = runs.get(i).get(key) instanceof Number x ? x.doubleValue() : Double.NaN;
        }
        return d;
    }

    private static long sum(List<Map<String, Object>> runs, String key) {
        long s = 0;
        for (Map<String, Object> r : runs) {
            s += r.get(key) instanceof Number x ? x.longValue() : 0;
        }
        return s;
    }
}
