package dev.coro.bench.report;

import dev.coro.bench.report.Targets.Target;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Holds each target against the figures read: one {@link Verdict} per target and context (connection
 * count, benchmark parameters, item count). The ratio is of medians (JMH: of scores) within one run;
 * the range, when there is one, is of the per-repeat ratios (echo/HTTP: repeat r of ours over repeat
 * r of the baseline; JMH: the extremes of the iterations).
 */
final class Verdicts {
    private Verdicts() {
    }

    enum Status {
        MET("met"), MISSED("**missed**"), NOT_MEASURED("not measured");

        final String text;

        Status(String text) {
            this.text = text;
        }
    }

    record Verdict(Target target, String context, String oursLabel, Spread ours, String baselineLabel,
                   Spread baseline, double ratio, Spread ratioRange, Status status, String note) {
        /** What the target is held against: the ratio, or for an absolute target the figure itself. */
        double checked() {
            return target.absolute() ? ours.median() : ratio;
        }
    }

    static Verdict decide(Target t, String context, String oursLabel, Spread ours, String baseLabel, Spread base,
                          Spread ratioRange) {
        if (!ours.measured()) {
            return notMeasured(t, context, "no figure for " + oursLabel);
        }
        if (t.absolute()) {
            return new Verdict(t, context, oursLabel, ours, null, Spread.NONE, Double.NaN, Spread.NONE,
                    t.op().holds(ours.median(), t.limit()) ? Status.MET : Status.MISSED, "");
        }
        if (!base.measured() || base.median() == 0) {
            return notMeasured(t, context, "no figure for " + baseLabel);
        }
        double ratio = ours.median() / base.median();
        return new Verdict(t, context, oursLabel, ours, baseLabel, base, ratio, ratioRange,
                t.op().holds(ratio, t.limit()) ? Status.MET : Status.MISSED, "");
    }

    static Verdict notMeasured(Target t, String context, String why) {
        return new Verdict(t, context, t.ours(), Spread.NONE, t.baseline(), Spread.NONE, Double.NaN, Spread.NONE,
                Status.NOT_MEASURED, why);
    }

    /** Echo or HTTP runs: per connection count × matching variant of ours. */
    static List<Verdict> servers(Target t, List<? extends ServerRun> runs) {
        Set<Long> counts = new TreeSet<>();
        Set<String> ours = new LinkedHashSet<>();
        for (ServerRun r : runs) {
            counts.add(r.connections());
            if (Targets.glob(t.ours(), r.variant())) {
                ours.add(r.variant());
            }
        }
        List<Verdict> out = new ArrayList<>();
        if (ours.isEmpty()) {
            out.add(notMeasured(t, "", "no run of " + t.ours()));
            return out;
        }
        for (long n : counts) {
            String context = Fmt.count(n) + " connections";
            for (String v : ours) {
                List<ServerRun> o = select(runs, v, n);
                if (o.isEmpty()) {
                    out.add(notMeasured(t, context, "no run of " + v + " at " + context));
                    continue;
                }
                if (t.absolute()) {
                    out.add(decide(t, context, v, spread(o, t.metric()), null, Spread.NONE, Spread.NONE));
                    continue;
                }
                List<ServerRun> b = select(runs, t.baseline(), n);
                if (b.isEmpty()) {
                    out.add(notMeasured(t, context, "no run of " + t.baseline() + " at " + context));
                    continue;
                }
                out.add(decide(t, context, v, spread(o, t.metric()), t.baseline(), spread(b, t.metric()),
                        perRepeat(o, b, t.metric())));
            }
        }
        return out;
    }

    private static List<ServerRun> select(List<? extends ServerRun> runs, String variant, long connections) {
        List<ServerRun> out = new ArrayList<>();
        for (ServerRun r : runs) {
            if (r.connections() == connections && Targets.glob(variant, r.variant())) {
                out.add(r);
            }
        }
        return out;
    }

    static Spread spread(List<ServerRun> runs, Metric m) {
        return Spread.of(runs.stream().mapToDouble(r -> r.value(m)).toArray());
    }

    /** Repeat r of ours over repeat r of the baseline (runs are interleaved, so repeat r shared a minute). */
    static Spread perRepeat(List<ServerRun> ours, List<ServerRun> base, Metric m) {
        Map<Integer, Double> b = new HashMap<>();
        for (ServerRun r : base) {
            b.putIfAbsent(r.run(), r.value(m));
        }
        List<Double> ratios = new ArrayList<>();
        for (ServerRun r : ours) {
            Double x = b.get(r.run());
            if (x != null && x != 0) {
                ratios.add(r.value(m) / x);
            }
        }
        return Spread.of(ratios);
    }

    /** A JMH result's parameters as the "where" of its row: {@code switcher=native}. */
    static String params(JmhResults.Result r) {
        return String.join(", ", r.params().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList());
    }

    /** JMH: per result matching ours, against the baseline result agreeing on the shared parameters. */
    static List<Verdict> jmh(Target t, List<JmhResults.Result> results) {
        Selector ours = Selector.parse(t.ours());
        Selector base = t.absolute() ? null : Selector.parse(t.baseline());
        List<Verdict> out = new ArrayList<>();
        for (JmhResults.Result r : results) {
            if (!ours.matches(r)) {
                continue;
            }
            Spread o = jmhSpread(r, t.metric());
            if (!o.measured()) {
                out.add(notMeasured(t, params(r), t.metric() == Metric.ALLOC_B_PER_OP
                        ? "no gc.alloc.rate.norm for " + r.shortName() + " (run JMH with -prof gc)"
                        : "no score for " + r.shortName()));
                continue;
            }
            if (base == null) {
                out.add(decide(t, params(r), r.shortName(), o, null, Spread.NONE, Spread.NONE));
                continue;
            }
            JmhResults.Result b = null;
            for (JmhResults.Result c : results) {
                if (base.matches(c) && c != r && (b == null || agreement(r, c) > agreement(r, b))) {
                    b = c;
                }
            }
            if (b == null) {
                out.add(new Verdict(t, params(r), r.shortName(), o, t.baseline(), Spread.NONE, Double.NaN, Spread.NONE,
                        Status.NOT_MEASURED, "no benchmark matches " + t.baseline()));
                continue;
            }
            Spread bs = jmhSpread(b, t.metric());
            Spread range = o.hasRange() || bs.hasRange()
                    ? Spread.of(o.min() / bs.max(), o.max() / bs.min()) : Spread.NONE;
            out.add(decide(t, params(r), r.shortName(), o, b.label(), bs, range));
        }
        if (out.isEmpty()) {
            out.add(notMeasured(t, "", "no benchmark matches " + t.ours()));
        }
        return out;
    }

    private static Spread jmhSpread(JmhResults.Result r, Metric m) {
        return m == Metric.NS_PER_OP ? r.spread() : Spread.of(r.value(m));
    }

    private static int agreement(JmhResults.Result a, JmhResults.Result b) {
        int n = 0;
        for (var e : a.params().entrySet()) {
            if (e.getValue().equals(b.params().get(e.getKey()))) {
                n++;
            }
        }
        return n;
    }

    /** Memory: per item matching ours, against the baseline's item of the same count. */
    static List<Verdict> memory(Target t, List<MemoryResults.Item> items) {
        List<Verdict> out = new ArrayList<>();
        for (MemoryResults.Item i : items) {
            if (!memoryMatches(t.ours(), i)) {
                continue;
            }
            String context = Fmt.count(i.count()) + " items";
            String label = i.what() + (i.variant().isEmpty() ? "" : " [" + i.variant() + "]");
            if (t.absolute()) {
                out.add(decide(t, context, label, Spread.of(i.bytesPerItem()), null, Spread.NONE, Spread.NONE));
                continue;
            }
            MemoryResults.Item b = null;
            for (MemoryResults.Item c : items) {
                if (c != i && c.count() == i.count() && memoryMatches(t.baseline(), c)) {
                    b = c;
                    break;
                }
            }
            if (b == null) {
                out.add(notMeasured(t, context, "no " + t.baseline() + " at " + context));
                continue;
            }
            out.add(decide(t, context, label, Spread.of(i.bytesPerItem()),
                    b.what() + (b.variant().isEmpty() ? "" : " [" + b.variant() + "]"), Spread.of(b.bytesPerItem()),
                    Spread.NONE));
        }
        if (out.isEmpty()) {
            out.add(notMeasured(t, "", "no measurement of " + t.ours()));
        }
        return out;
    }

    static boolean memoryMatches(String selector, MemoryResults.Item i) {
        int open = selector.indexOf('[');
        String what = open < 0 ? selector : selector.substring(0, open);
        String variant = open < 0 ? "*" : selector.substring(open + 1, selector.lastIndexOf(']'));
        return Targets.glob(what, i.what()) && Targets.glob(variant, i.variant());
    }

    /** {@code Class.methodGlob[key|altKey=valueGlob, …]} on a JMH result. */
    record Selector(String name, List<Map.Entry<List<String>, String>> params) {
        static Selector parse(String s) {
            int open = s.indexOf('[');
            if (open < 0) {
                return new Selector(s.trim(), List.of());
            }
            List<Map.Entry<List<String>, String>> ps = new ArrayList<>();
            for (String kv : s.substring(open + 1, s.lastIndexOf(']')).split(",")) {
                int eq = kv.indexOf('=');
                if (eq > 0) {
                    ps.add(Map.entry(List.of(kv.substring(0, eq).trim().split("\\|")), kv.substring(eq + 1).trim()));
                }
            }
            return new Selector(s.substring(0, open).trim(), ps);
        }

        boolean matches(JmhResults.Result r) {
            if (!Targets.glob(name, r.shortName())) {
                return false;
            }
            for (var p : params) {
                boolean any = false;
                for (String key : p.getKey()) {
                    String v = r.params().get(key);
                    any |= v != null && Targets.glob(p.getValue(), v);
                }
                if (!any) {
                    return false;
                }
            }
            return true;
        }
    }
}
