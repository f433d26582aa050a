package dev.coro.bench.report;

import dev.coro.bench.echo.Json;

import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads JMH's JSON result file ({@code -rf json}): an array of {benchmark, mode, params, primaryMetric
 * {score, scoreError, scoreUnit, rawData}, secondaryMetrics{"gc.alloc.rate.norm" …}, jdkVersion, vmName,
 * …}. Scores become nanoseconds per operation whatever the mode and unit, so that a target can compare
 * a throughput benchmark with an average-time one.
 */
final class JmhResults {
    static final String FILE = "coro-bench/target/jmh/results.json";

    private JmhResults() {
    }

    /**
     * One benchmark × parameter set. {@code name} is the benchmark's full name; {@code rawNsPerOp} every
     * iteration of every fork, in ns/op (the whiskers); {@code allocBytesPerOp} NaN without {@code -prof gc}.
     */
    record Result(String name, String mode, Map<String, String> params, double score, double scoreError,
                  String unit, double nsPerOp, double[] rawNsPerOp, double allocBytesPerOp,
                  Map<String, Object> fields) {
        /** {@code SwitchBenchmark.yieldSliceThroughScheduler}: the class's simple name and the method. */
        String shortName() {
            int method = name.lastIndexOf('.');
            int cls = method <= 0 ? -1 : name.lastIndexOf('.', method - 1);
            return name.substring(cls + 1);
        }

        /** {@code shortName} and the parameters, as the report labels it. */
        String label() {
            if (params.isEmpty()) {
                return shortName();
            }
            StringBuilder b = new StringBuilder(shortName()).append(" [");
            params.forEach((k, v) -> b.append(b.charAt(b.length() - 1) == '[' ? "" : ", ").append(k).append('=').append(v));
            return b.append(']').toString();
        }

        Spread spread() {
            return rawNsPerOp.length == 0 ? Spread.of(nsPerOp) : withMedian(Spread.of(rawNsPerOp), nsPerOp);
        }

        double value(Metric m) {
            return switch (m) {
                case NS_PER_OP -> nsPerOp;
                case ALLOC_B_PER_OP -> allocBytesPerOp;
                default -> Double.NaN;
            };
        }
    }

    /** JMH's score (the mean) is the figure; the raw iterations give only the range. */
    private static Spread withMedian(Spread s, double score) {
        return new Spread(score, Math.min(s.min(), score), Math.max(s.max(), score), s.n());
    }

    static Loaded<Result> read(Path file) {
        String[] why = new String[1];
        Object doc;
        try {
            doc = Loaded.document(file, why);
        } catch (NoSuchFileException e) {
            return Loaded.missing(file);
        }
        if (!(doc instanceof List<?> list)) {
            return new Loaded<>(file, true, List.of(), List.of(doc == null ? "unreadable: " + why[0]
                    : "not a JSON array of benchmark results"));
        }
        return Loaded.entries(file, list, JmhResults::result);
    }

    @SuppressWarnings("unchecked")
    private static Result result(Object o) {
        Map<String, Object> m = (Map<String, Object>) o;
        String name = Loaded.text(m, "benchmark");
        String mode = Loaded.optionalText(m, "mode");
        Map<String, String> params = new LinkedHashMap<>();
        if (m.get("params") instanceof Map<?, ?> p) {
            p.forEach((k, v) -> params.put(String.valueOf(k), v instanceof Double d ? plain(d) : String.valueOf(v)));
        }
        if (!(m.get("primaryMetric") instanceof Map<?, ?> pmRaw)) {
            throw new IllegalArgumentException(name + ": no primaryMetric");
        }
        Map<String, Object> pm = (Map<String, Object>) pmRaw;
        double score = Loaded.number(pm, "score");
        String unit = Loaded.text(pm, "scoreUnit");
        List<Double> raw = new ArrayList<>();
        if (pm.get("rawData") instanceof List<?> forks) {
            for (Object fork : forks) {
                if (fork instanceof List<?> iterations) {
                    for (Object x : iterations) {
                        double ns = nsPerOp(Json.number(x), unit);
                        if (!Double.isNaN(ns)) {
                            raw.add(ns);
                        }
                    }
                }
            }
        }
        double alloc = Double.NaN;
        if (m.get("secondaryMetrics") instanceof Map<?, ?> sm && sm.get("gc.alloc.rate.norm") instanceof Map<?, ?> a) {
            alloc = Json.number(a.get("score"));
        }
        return new Result(name, mode, params, score, Loaded.optionalNumber(pm, "scoreError"), unit,
                nsPerOp(score, unit), raw.stream().mapToDouble(Double::doubleValue).toArray(), alloc, m);
    }

    private static String plain(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }

    /**
     * A JMH score in ns per operation: {@code ns/op}, {@code us/op}, {@code ms/op}, {@code s/op} (average
     * or sample time) or {@code ops/ns} … {@code ops/s} (throughput, inverted). NaN for another unit.
     */
    static double nsPerOp(double score, String unit) {
        String u = unit.toLowerCase(Locale.ROOT).replace('µ', 'u');
        if (u.endsWith("/op")) {
            double scale = scale(u.substring(0, u.length() - 3));
            return score * scale;
        }
        if (u.startsWith("ops/")) {
            double scale = scale(u.substring(4));
            return score == 0 ? Double.NaN : scale / score;
        }
        return Double.NaN;
    }

    private static double scale(String timeUnit) {
        return switch (timeUnit) {
            case "ns" -> 1;
            case "us" -> 1e3;
            case "ms" -> 1e6;
            case "s" -> 1e9;
            case "min" -> 60e9;
            default -> Double.NaN;
        };
    }
}
