package dev.coro.bench.echo;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.DoubleFunction;

/**
 * The table of an echo run: reads the JSON lines {@code bin/echo-bench} wrote (one per server run) and
 * prints, per connection count and variant, the median and the spread (min–max) over the repeats, and
 * the medians as ratios to the hand-written NIO loop (the floor) of the same connection count.
 * Argument: the results file.
 */
public final class EchoReport {
    private static final String FLOOR = "nio-loop";

    private EchoReport() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            ServerArgs.fail("usage: EchoReport <results.jsonl>");
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
            groups.computeIfAbsent(number(r, "connections").longValue(), k -> new LinkedHashMap<>())
                    .computeIfAbsent((String) r.get("variant"), k -> new ArrayList<>()).add(r);
        }
        StringBuilder out = new StringBuilder();
        for (var byCount : groups.entrySet()) {
            out.append(String.format(Locale.ROOT, "%n%,d connections (median [min–max] over runs; ×: median "
                    + "over %s's median; busy: share of the window on CPU; others: what other programs took of "
                    + "the server's CPU)%n%n", byCount.getKey(), FLOOR));
            out.append("| variant | runs | msgs/s | × | p50 µs | p99 µs | p99.9 µs | server CPU µs/msg | × "
                    + "| server busy | others on its CPU | load busy | net drops / TCP retrans | errors |\n");
            out.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
            List<Map<String, Object>> floor = byCount.getValue().get(FLOOR);
            double floorRate = floor == null ? Double.NaN : median(values(floor, "msgs_per_s"));
            double floorCpu = floor == null ? Double.NaN : median(values(floor, "cpu_us_per_msg"));
            for (var v : byCount.getValue().entrySet()) {
                List<Map<String, Object>> rs = v.getValue();
                double[] rate = values(rs, "msgs_per_s");
                double[] cpu = values(rs, "cpu_us_per_msg");
                long errors = 0;
                long drops = 0;
                long retrans = 0;
                for (Map<String, Object> r : rs) {
                    errors += number(r, "errors").longValue();
                    drops += optional(r, "net_drops");
                    retrans += optional(r, "tcp_retrans");
                }
                out.append(String.format(Locale.ROOT, "| %s | %d | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %d / %d | %d |%n",
                        v.getKey(), rs.size(), spread(rate, EchoReport::rate), ratio(median(rate), floorRate),
                        spread(values(rs, "p50_us"), EchoReport::micros),
                        spread(values(rs, "p99_us"), EchoReport::micros),
                        spread(values(rs, "p999_us"), EchoReport::micros),
                        spread(cpu, EchoReport::micros), ratio(median(cpu), floorCpu),
                        percent(median(values(rs, "server_cpu_util"))),
                        percent(median(values(rs, "server_cpu_others"))),
                        percent(median(values(rs, "load_cpu_util"))), drops, retrans, errors));
            }
            out.append(paired(byCount.getValue()));
        }
        return out.toString();
    }

    /**
     * For each variant run on a base build too ({@code VARIANT@REV}, {@code bin/echo-bench --base}):
     * this tree's figure over the base's, per round (the two ran back to back, so a round's ratio
     * shares the host's state of that minute), as median [min–max].
     */
    static String paired(Map<String, List<Map<String, Object>>> byVariant) {
        StringBuilder out = new StringBuilder();
        for (var v : byVariant.entrySet()) {
            int at = v.getKey().indexOf('@');
            List<Map<String, Object>> mine = at < 0 ? null : byVariant.get(v.getKey().substring(0, at));
            if (mine == null) {
                continue;
            }
            Map<Long, Map<String, Object>> baseByRound = new TreeMap<>();
            for (Map<String, Object> r : v.getValue()) {
                baseByRound.put(number(r, "run").longValue(), r);
            }
            List<Double> cpu = new ArrayList<>();
            List<Double> rate = new ArrayList<>();
            for (Map<String, Object> r : mine) {
                Map<String, Object> b = baseByRound.get(number(r, "run").longValue());
                if (b != null) {
                    cpu.add(number(r, "cpu_us_per_msg").doubleValue() / number(b, "cpu_us_per_msg").doubleValue());
                    rate.add(number(r, "msgs_per_s").doubleValue() / number(b, "msgs_per_s").doubleValue());
                }
            }
            if (cpu.isEmpty()) {
                continue;
            }
            DoubleFunction<String> two = x -> String.format(Locale.ROOT, "%.3f", x);
            out.append(String.format(Locale.ROOT, "%n%s over %s, paired per round (%d): server CPU µs/msg %s, msgs/s %s%n",
                    v.getKey().substring(0, at), v.getKey(), cpu.size(),
                    spread(cpu.stream().mapToDouble(Double::doubleValue).toArray(), two),
                    spread(rate.stream().mapToDouble(Double::doubleValue).toArray(), two)));
        }
        return out.toString();
    }

    private static double[] values(List<Map<String, Object>> runs, String key) {
        double[] d = new double[runs.size()];
        for (int i = 0; i < d.length; i++) {
            Number x = (Number) runs.get(i).get(key);
            d[i] = x == null ? Double.NaN : x.doubleValue();
        }
        return d;
    }

    private static Number number(Map<String, Object> r, String key) {
        if (!(r.get(key) instanceof Number x)) {
            throw new IllegalArgumentException("a run without a number '" + key + "': " + r);
        }
        return x;
    }

    private static long optional(Map<String, Object> r, String key) {
        return r.get(key) instanceof Number x ? x.longValue() : 0;
    }

    public static double median(double[] d) {
        double[] s = Arrays.stream(d).filter(x -> !Double.isNaN(x)).sorted().toArray();
        if (s.length == 0) {
            return Double.NaN;
        }
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    public static String spread(double[] d, DoubleFunction<String> format) {
        double[] s = Arrays.stream(d).filter(x -> !Double.isNaN(x)).sorted().toArray();
        if (s.length == 0) {
            return "–";
        }
        String m = format.apply(median(s));
        return s.length == 1 ? m : m + " [" + format.apply(s[0]) + "–" + format.apply(s[s.length - 1]) + "]";
    }

    public static String rate(double perSecond) {
        return perSecond >= 1e6 ? String.format(Locale.ROOT, "%.2fM", perSecond / 1e6)
                : String.format(Locale.ROOT, "%.1fk", perSecond / 1e3);
    }

    public static String micros(double us) {
        return us >= 100 ? String.format(Locale.ROOT, "%,.0f", us) : String.format(Locale.ROOT, "%.1f", us);
    }

    public static String ratio(double x, double floor) {
        return Double.isNaN(x) || Double.isNaN(floor) || floor == 0 ? "–" : String.format(Locale.ROOT, "%.2f", x / floor);
    }

    public static String percent(double fraction) {
        return Double.isNaN(fraction) ? "–" : String.format(Locale.ROOT, "%.0f%%", fraction * 100);
    }
}
