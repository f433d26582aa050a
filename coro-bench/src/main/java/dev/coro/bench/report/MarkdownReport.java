package dev.coro.bench.report;

import dev.coro.bench.report.Targets.Section;
import dev.coro.bench.report.Targets.Target;
import dev.coro.bench.report.Verdicts.Status;
import dev.coro.bench.report.Verdicts.Verdict;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The report's text and charts from the inputs: the machine, the inputs and their commands, where coro
 * loses (the targets missed), then per section its targets (ratio, target, verdict, source), its
 * figures and its charts. A section whose input is missing says "not measured (run …)".
 */
final class MarkdownReport {
    /** Relative to coro-bench/target/report/, where the report is written. */
    private static final String SPEC_LINK = "../../../SPEC.md#targets";
    /** A chart leaves out bars this many times its median bar (they would flatten the rest); the tables keep them. */
    static final double OFF_CHART = 50;

    private MarkdownReport() {
    }

    /** The Markdown and the charts (file name → SVG text) it links to. */
    record Report(String markdown, Map<String, String> charts, List<Verdict> verdicts) {
    }

    static Report write(Inputs in) {
        Map<String, String> charts = new LinkedHashMap<>();
        Map<Section, List<Verdict>> verdicts = new LinkedHashMap<>();
        for (Section s : Section.values()) {
            List<Verdict> vs = new ArrayList<>();
            for (Target t : Targets.of(s)) {
                vs.addAll(switch (s) {
                    case ECHO -> Verdicts.servers(t, in.echo().rows());
                    case HTTP -> Verdicts.servers(t, in.http().rows());
                    case JMH -> Verdicts.jmh(t, in.jmh().rows());
                    case MEMORY -> Verdicts.memory(t, in.memory().rows());
                });
            }
            verdicts.put(s, vs);
        }

        StringBuilder md = new StringBuilder();
        md.append("# coro-bench report\n\n");
        md.append("Written by `bin/bench-report` from the result files under *Inputs*: every figure below is read "
                + "from them. A ratio is ours over its baseline measured in the same run (echo and HTTP: medians "
                + "over the repeats, with the range of the per-repeat ratios in brackets; JMH: scores, with the "
                + "range the iterations allow). Each target cites where it comes from: [SPEC §6](" + SPEC_LINK
                + ") or issue 13 (where the two differ, the stricter figure); \"parity\" rows compare with a "
                + "baseline issue 12 names that §6 gives no figure for.\n\n");

        md.append("## Machine\n\n| | | from |\n|---|---|---|\n");
        for (Machine.Fact f : Machine.facts(in)) {
            md.append("| ").append(cell(f.name())).append(" | ").append(cell(f.value())).append(" | ")
                    .append(cell(f.from())).append(" |\n");
        }

        md.append("\n## Inputs\n\n| section | file | read | produced by |\n|---|---|---|---|\n");
        input(md, "echo", in.echo(), echoCommand(in.echo()), Inputs.ECHO_COMMAND);
        input(md, "HTTP", in.http(), httpCommand(in.http()), Inputs.HTTP_COMMAND);
        input(md, "JMH", in.jmh(), jmhCommand(in.jmh()), Inputs.JMH_COMMAND);
        input(md, "memory", in.memory(), Inputs.MEMORY_COMMAND, Inputs.MEMORY_COMMAND);

        md.append("\n## Where coro loses\n\n");
        for (Section s : Section.values()) {
            md.append("**").append(s.title).append("**: ").append(losses(verdicts.get(s), loaded(in, s), command(s)))
                    .append("\n\n");
        }

        echoSection(md, charts, in.echo(), verdicts.get(Section.ECHO));
        httpSection(md, charts, in.http(), verdicts.get(Section.HTTP));
        jmhSection(md, charts, in.jmh(), verdicts.get(Section.JMH));
        memorySection(md, charts, in.memory(), verdicts.get(Section.MEMORY));

        md.append("## About the charts\n\nEach chart is an SVG 1.1 file written by `SvgChart` (in "
                + "`dev.coro.bench.report`), by hand: a grouped bar chart is a few rects, lines and texts, and a "
                + "charting library would be the report's only dependency. Bars are medians over the repeats "
                + "(JMH: scores), whiskers the min–max when there are differing repeats (JMH: iterations). A bar "
                + "more than " + Fmt.plain(OFF_CHART) + "× its chart's median bar is left out of the chart, and "
                + "said so under it; the tables keep every figure.\n");
        List<Verdict> all = new ArrayList<>();
        verdicts.values().forEach(all::addAll);
        return new Report(md.toString(), charts, all);
    }

    private static Loaded<?> loaded(Inputs in, Section s) {
        return switch (s) {
            case ECHO -> in.echo();
            case HTTP -> in.http();
            case JMH -> in.jmh();
            case MEMORY -> in.memory();
        };
    }

    private static String command(Section s) {
        return switch (s) {
            case ECHO -> Inputs.ECHO_COMMAND;
            case HTTP -> Inputs.HTTP_COMMAND;
            case JMH -> Inputs.JMH_COMMAND;
            case MEMORY -> Inputs.MEMORY_COMMAND;
        };
    }

    static String notMeasured(String command) {
        return command.startsWith("bin/") ? "not measured (run `" + command + "`)" : "not measured (run " + command + ")";
    }

    private static void input(StringBuilder md, String name, Loaded<?> l, String produced, String command) {
        String read = !l.found() ? notMeasured(command)
                : l.rows().size() + " rows" + (l.skipped().isEmpty() ? "" : ", " + l.skipped().size() + " skipped: "
                + String.join("; ", l.skipped().subList(0, Math.min(3, l.skipped().size())))
                + (l.skipped().size() > 3 ? "; …" : ""));
        md.append("| ").append(name).append(" | `").append(l.file()).append("` | ").append(cell(read)).append(" | ")
                .append(l.found() ? "`" + cell(produced) + "`" : "–").append(" |\n");
    }

    /** The plain statement of a section: which targets are missed, in words; what is not measured. */
    static String losses(List<Verdict> vs, Loaded<?> input, String command) {
        if (!input.measured()) {
            return notMeasured(command) + ".";
        }
        List<String> missed = new ArrayList<>();
        Set<String> unmeasured = new LinkedHashSet<>();
        int met = 0;
        for (Verdict v : vs) {
            switch (v.status()) {
                case MET -> met++;
                case MISSED -> missed.add(sentence(v));
                case NOT_MEASURED -> unmeasured.add(v.target().what() + " (" + v.note() + ")");
            }
        }
        StringBuilder b = new StringBuilder();
        if (missed.isEmpty()) {
            b.append(met == 0 ? "no target could be checked." : "no target missed (" + met + " met).");
        } else {
            b.append(missed.size()).append(" of ").append(missed.size() + met).append(" targets checked are missed:\n");
            for (String m : missed) {
                b.append("- ").append(m).append('\n');
            }
        }
        if (!unmeasured.isEmpty()) {
            b.append(missed.isEmpty() ? " " : "\n\n").append("Not measured: ").append(cell(String.join("; ", unmeasured)))
                    .append('.');
        }
        return b.toString().strip();
    }

    static String sentence(Verdict v) {
        Target t = v.target();
        String where = v.context().isEmpty() ? "" : "at " + v.context() + ", ";
        if (t.absolute()) {
            return String.format(Locale.ROOT, "%s%s: %s is %s %s (target %s; %s)", where, v.oursLabel(), t.what(),
                    Fmt.value(t.metric(), v.ours().median()), t.metric().unit, t.describe(), source(t.source()));
        }
        return String.format(Locale.ROOT, "%s%s: %s is %s %s's (%s vs %s %s; target %s; %s)", where, v.oursLabel(),
                t.what(), Fmt.ratio(v.ratio()), v.baselineLabel(), Fmt.value(t.metric(), v.ours().median()),
                Fmt.value(t.metric(), v.baseline().median()), t.metric().unit, t.describe(), source(t.source()));
    }

    private static String source(String s) {
        return s.replace("SPEC.md#targets", "[SPEC §6](" + SPEC_LINK + ")");
    }

    private static void targets(StringBuilder md, List<Verdict> vs) {
        md.append("### Targets\n\n| target | where | ours | figure | baseline | figure | ratio [range] | target "
                + "| verdict | source |\n|---|---|---|---|---|---|---|---|---|---|\n");
        for (Verdict v : vs) {
            Target t = v.target();
            Metric m = t.metric();
            String ratio = t.absolute() || Double.isNaN(v.ratio()) ? "–" : Fmt.ratio(v.ratio())
                    + (v.ratioRange().hasRange() ? " [" + Fmt.ratio(v.ratioRange().min()) + "–"
                    + Fmt.ratio(v.ratioRange().max()) + "]" : "");
            md.append("| ").append(cell(t.what() + " (" + m.unit + ")")).append(" | ").append(cell(v.context()))
                    .append(" | ").append(cell(v.oursLabel())).append(" | ").append(Fmt.spread(m, v.ours()))
                    .append(" | ").append(cell(t.absolute() ? "–" : String.valueOf(v.baselineLabel())))
                    .append(" | ").append(t.absolute() ? "–" : Fmt.spread(m, v.baseline()))
                    .append(" | ").append(ratio).append(" | ").append(cell(t.describe()))
                    .append(" | ").append(v.status().text).append(v.note().isEmpty() ? "" : ": " + cell(v.note()))
                    .append(" | ").append(cell(source(t.source()))).append(" |\n");
        }
        md.append('\n');
    }

    // ---- echo ----

    private static void echoSection(StringBuilder md, Map<String, String> charts, Loaded<EchoResults.Run> in,
                                    List<Verdict> vs) {
        md.append("## ").append(Section.ECHO.title).append("\n\n");
        if (!in.measured()) {
            md.append(notMeasured(Inputs.ECHO_COMMAND)).append(".\n\n");
            return;
        }
        targets(md, vs);
        md.append("### Figures\n\nMedian [min–max] over the repeats; server CPU is the server process's CPU time per "
                + "echoed message.\n\n");
        Map<Long, Map<String, List<ServerRun>>> groups = group(in.rows());
        for (var byCount : groups.entrySet()) {
            md.append("**").append(Fmt.count(byCount.getKey())).append(" connections**\n\n");
            md.append("| server | runs | msgs/s | p50 µs | p99 µs | p99.9 µs | server CPU µs/msg | errors |\n"
                    + "|---|---|---|---|---|---|---|---|\n");
            for (var v : byCount.getValue().entrySet()) {
                List<ServerRun> rs = v.getValue();
                long errors = 0;
                boolean died = false;
                for (ServerRun r : rs) {
                    EchoResults.Run e = (EchoResults.Run) r;
                    errors += e.errors();
                    died |= !e.serverSurvived();
                }
                md.append("| ").append(cell(v.getKey())).append(" | ").append(rs.size())
                        .append(" | ").append(Fmt.spread(Metric.MSGS_PER_S, Verdicts.spread(rs, Metric.MSGS_PER_S)))
                        .append(" | ").append(us(rs, r -> ((EchoResults.Run) r).p50Us()))
                        .append(" | ").append(us(rs, r -> ((EchoResults.Run) r).p99Us()))
                        .append(" | ").append(us(rs, r -> ((EchoResults.Run) r).p999Us()))
                        .append(" | ").append(us(rs, r -> ((EchoResults.Run) r).cpuUsPerMsg()))
                        .append(" | ").append(errors).append(died ? " (server died)" : "").append(" |\n");
            }
            md.append('\n');
        }
        serverCharts(md, charts, groups, "echo", "Echo", Metric.MSGS_PER_S, "throughput", "messages/s", "throughput");
        serverCharts(md, charts, groups, "echo", "Echo", Metric.P99_US, "p99 latency", "µs", "p99");
        serverCharts(md, charts, groups, "echo", "Echo", Metric.CPU_US_PER_MSG, "server CPU per message", "µs", "cpu");
    }

    // ---- HTTP ----

    private static void httpSection(StringBuilder md, Map<String, String> charts, Loaded<HttpResults.Run> in,
                                    List<Verdict> vs) {
        md.append("## ").append(Section.HTTP.title).append("\n\n");
        if (!in.measured()) {
            md.append(notMeasured(Inputs.HTTP_COMMAND)).append(".\n\n");
            return;
        }
        targets(md, vs);
        md.append("### Figures\n\nMedian [min–max] over the repeats; errors are wrk's connect, read, write and "
                + "timeout errors summed (timeouts apart).\n\n");
        Map<Long, Map<String, List<ServerRun>>> groups = group(in.rows());
        for (var byCount : groups.entrySet()) {
            md.append("**").append(Fmt.count(byCount.getKey())).append(" connections**\n\n");
            md.append("| server | runs | requests/s | p50 µs | p90 µs | p99 µs | server CPU µs/req | errors (timeouts) "
                    + "| non-2xx |\n|---|---|---|---|---|---|---|---|---|\n");
            for (var v : byCount.getValue().entrySet()) {
                List<ServerRun> rs = v.getValue();
                long errors = 0;
                long timeouts = 0;
                long non2xx = 0;
                for (ServerRun r : rs) {
                    HttpResults.Run h = (HttpResults.Run) r;
                    errors += h.errors();
                    timeouts += h.timeouts();
                    non2xx += h.non2xx();
                }
                md.append("| ").append(cell(v.getKey())).append(" | ").append(rs.size())
                        .append(" | ").append(Fmt.spread(Metric.REQUESTS_PER_S, Verdicts.spread(rs, Metric.REQUESTS_PER_S)))
                        .append(" | ").append(us(rs, r -> ((HttpResults.Run) r).p50Us()))
                        .append(" | ").append(us(rs, r -> ((HttpResults.Run) r).p90Us()))
                        .append(" | ").append(us(rs, r -> ((HttpResults.Run) r).p99Us()))
                        .append(" | ").append(us(rs, r -> ((HttpResults.Run) r).cpuUsPerReq()))
                        .append(" | ").append(errors).append(" (").append(timeouts).append(")")
                        .append(" | ").append(non2xx).append(" |\n");
            }
            md.append('\n');
        }
        serverCharts(md, charts, groups, "http", "HTTP", Metric.REQUESTS_PER_S, "throughput", "requests/s", "throughput");
        serverCharts(md, charts, groups, "http", "HTTP", Metric.P99_US, "p99 latency", "µs", "p99");
    }

    private static Map<Long, Map<String, List<ServerRun>>> group(List<? extends ServerRun> runs) {
        Map<Long, Map<String, List<ServerRun>>> groups = new TreeMap<>();
        for (ServerRun r : runs) {
            groups.computeIfAbsent(r.connections(), k -> new LinkedHashMap<>())
                    .computeIfAbsent(r.variant(), k -> new ArrayList<>()).add(r);
        }
        return groups;
    }

    private static String us(List<ServerRun> rs, java.util.function.ToDoubleFunction<ServerRun> f) {
        return Fmt.spread(Metric.P99_US, Spread.of(rs.stream().mapToDouble(f).toArray()));
    }

    private static void serverCharts(StringBuilder md, Map<String, String> charts,
                                     Map<Long, Map<String, List<ServerRun>>> groups, String prefix, String name,
                                     Metric m, String what, String unit, String file) {
        SvgChart chart = new SvgChart(name + ": " + what + " per server (" + unit
                + "; median, whiskers min–max over repeats)", what + ", " + unit, m.higherIsBetter ? Fmt::rate : Fmt::num);
        for (var byCount : groups.entrySet()) {
            chart.group(Fmt.count(byCount.getKey()) + " connections");
            for (var v : byCount.getValue().entrySet()) {
                chart.bar(v.getKey(), Verdicts.spread(v.getValue(), m));
            }
        }
        chart(md, charts, prefix + "-" + file + ".svg", chart, name + " " + what + ", " + unit, List.of());
    }

    private static void chart(StringBuilder md, Map<String, String> charts, String file, SvgChart chart, String alt,
                              List<String> leftOut) {
        if (chart.isEmpty()) {
            return;
        }
        charts.put(file, chart.render());
        md.append("![").append(alt).append("](").append(file).append(")\n\n");
        if (!leftOut.isEmpty()) {
            md.append("Left out of this chart (more than ").append(Fmt.plain(OFF_CHART)).append("× its median bar): ")
                    .append(cell(String.join("; ", leftOut))).append(".\n\n");
        }
    }

    // ---- JMH ----

    private static void jmhSection(StringBuilder md, Map<String, String> charts, Loaded<JmhResults.Result> in,
                                   List<Verdict> vs) {
        md.append("## ").append(Section.JMH.title).append("\n\n");
        if (!in.measured()) {
            md.append(notMeasured(Inputs.JMH_COMMAND)).append(".\n\n");
            return;
        }
        targets(md, vs);
        md.append("### Figures\n\nJMH's score ± its error in JMH's unit; the same in ns per operation with the range "
                + "of the iterations; allocation per operation where the run had `-prof gc`.\n\n"
                + "| benchmark | mode | score | ns/op [min–max] | B/op |\n|---|---|---|---|---|\n");
        Map<String, List<JmhResults.Result>> byClass = new LinkedHashMap<>();
        for (JmhResults.Result r : in.rows()) {
            md.append("| ").append(cell(r.label())).append(" | ").append(r.mode() == null ? "–" : r.mode())
                    .append(" | ").append(Fmt.num(r.score()))
                    .append(Double.isNaN(r.scoreError()) ? "" : " ± " + Fmt.num(r.scoreError())).append(' ')
                    .append(r.unit()).append(" | ").append(Fmt.spread(Metric.NS_PER_OP, r.spread()))
                    .append(" | ").append(Fmt.num(r.allocBytesPerOp())).append(" |\n");
            String shortName = r.shortName();
            int dot = shortName.indexOf('.');
            byClass.computeIfAbsent(dot < 0 ? shortName : shortName.substring(0, dot), k -> new ArrayList<>()).add(r);
        }
        md.append('\n');
        for (var c : byClass.entrySet()) {
            String title = c.getKey().equals("SwitchBenchmark") ? "Switch cost per backend (JMH, ns per operation)"
                    : c.getKey() + " (JMH, ns per operation)";
            SvgChart chart = new SvgChart(title, "ns per operation", Fmt::num);
            double[] all = c.getValue().stream().mapToDouble(JmhResults.Result::nsPerOp).toArray();
            double median = Spread.of(all).median();
            List<String> leftOut = new ArrayList<>();
            for (JmhResults.Result r : c.getValue()) {
                if (r.nsPerOp() > OFF_CHART * median) {
                    leftOut.add(r.label() + ": " + Fmt.num(r.nsPerOp()) + " ns/op");
                    continue;
                }
                String method = r.shortName().substring(r.shortName().indexOf('.') + 1);
                chart.group(method).bar(r.params().isEmpty() ? "baseline" : String.join(", ", r.params().values()),
                        r.spread());
            }
            chart(md, charts, "jmh-" + c.getKey().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-") + ".svg",
                    chart, title, leftOut);
        }
    }

    // ---- memory ----

    private static void memorySection(StringBuilder md, Map<String, String> charts, Loaded<MemoryResults.Item> in,
                                      List<Verdict> vs) {
        md.append("## ").append(Section.MEMORY.title).append("\n\n");
        if (!in.measured()) {
            md.append(notMeasured(Inputs.MEMORY_COMMAND)).append(".\n\n");
            return;
        }
        targets(md, vs);
        md.append("### Figures\n\n| what | variant | count | bytes per item |\n|---|---|---|---|\n");
        SvgChart chart = new SvgChart("Heap per item (bytes)", "bytes per item", Fmt::num);
        Set<Long> counts = new TreeSet<>();
        for (MemoryResults.Item i : in.rows()) {
            counts.add(i.count());
            md.append("| ").append(cell(i.what())).append(" | ").append(cell(i.variant().isEmpty() ? "–" : i.variant()))
                    .append(" | ").append(Fmt.count(i.count())).append(" | ").append(Fmt.num(i.bytesPerItem()))
                    .append(" |\n");
        }
        md.append('\n');
        for (MemoryResults.Item i : in.rows()) {
            chart.group(i.what()).bar((i.variant().isEmpty() ? i.what() : i.variant())
                    + (counts.size() > 1 ? ", " + Fmt.count(i.count()) : ""), i.bytesPerItem(), Double.NaN, Double.NaN);
        }
        chart(md, charts, "memory.svg", chart, "heap per item", List.of());
    }

    // ---- commands, reconstructed from the files' own fields ----

    static String echoCommand(Loaded<EchoResults.Run> in) {
        if (!in.measured()) {
            return Inputs.ECHO_COMMAND;
        }
        Set<Long> counts = new TreeSet<>();
        Set<String> variants = new LinkedHashSet<>();
        List<Double> durations = new ArrayList<>();
        int repeats = 0;
        for (EchoResults.Run r : in.rows()) {
            counts.add(r.connections());
            variants.add(r.variant());
            durations.add(Loaded.optionalNumber(r.fields(), "duration_s"));
            repeats = Math.max(repeats, r.run());
        }
        List<Map<String, Object>> fields = in.rows().stream().map(EchoResults.Run::fields).toList();
        StringBuilder b = new StringBuilder(Inputs.ECHO_COMMAND);
        b.append(" --connections ").append(String.join(",", counts.stream().map(String::valueOf).toList()));
        flag(b, "--warmup", Machine.distinct(fields, "warmup_s"));
        double d = Spread.of(durations).median();
        if (!Double.isNaN(d)) {
            b.append(" --duration ").append(Math.round(d));
        }
        if (repeats > 0) {
            b.append(" --repeats ").append(repeats);
        }
        flag(b, "--size", Machine.distinct(fields, "size"));
        b.append(" --variants ").append(String.join(",", variants));
        return b.toString();
    }

    private static void flag(StringBuilder b, String flag, String value) {
        if (value != null && !value.contains(",")) {
            b.append(' ').append(flag).append(' ').append(value);
        }
    }

    static String httpCommand(Loaded<HttpResults.Run> in) {
        if (!in.measured()) {
            return Inputs.HTTP_COMMAND;
        }
        Set<Long> counts = new TreeSet<>();
        Set<String> servers = new LinkedHashSet<>();
        int repeats = 0;
        for (HttpResults.Run r : in.rows()) {
            counts.add(r.connections());
            servers.add(r.variant());
            repeats = Math.max(repeats, r.run());
        }
        String duration = Machine.distinct(in.rows().stream().map(HttpResults.Run::fields).toList(), "duration_s");
        return Inputs.HTTP_COMMAND + " (connections " + String.join(",", counts.stream().map(String::valueOf).toList())
                + "; servers " + String.join(",", servers) + (repeats > 0 ? "; " + repeats + " repeats" : "")
                + (duration == null ? "" : "; " + duration + " s each") + ")";
    }

    static String jmhCommand(Loaded<JmhResults.Result> in) {
        if (!in.measured()) {
            return Inputs.JMH_COMMAND;
        }
        Map<String, Object> f = in.rows().getFirst().fields();
        StringBuilder b = new StringBuilder("bin/bench");
        jmhFlag(b, "-f", f.get("forks"));
        jmhFlag(b, "-wi", f.get("warmupIterations"));
        jmhFlag(b, "-w", f.get("warmupTime"));
        jmhFlag(b, "-i", f.get("measurementIterations"));
        jmhFlag(b, "-r", f.get("measurementTime"));
        if (in.rows().stream().anyMatch(r -> !Double.isNaN(r.allocBytesPerOp()))) {
            b.append(" -prof gc");
        }
        b.append(" -rf json -rff ").append(JmhResults.FILE);
        Set<String> classes = new LinkedHashSet<>();
        for (JmhResults.Result r : in.rows()) {
            classes.add(r.shortName().substring(0, Math.max(0, r.shortName().indexOf('.'))));
        }
        classes.forEach(c -> b.append(' ').append(c));
        return b.toString();
    }

    private static void jmhFlag(StringBuilder b, String flag, Object v) {
        if (v instanceof Double d) {
            b.append(' ').append(flag).append(' ').append((long) (double) d);
        } else if (v instanceof String s) {
            b.append(' ').append(flag).append(' ').append(s.replace(" ", ""));
        }
    }

    /** A Markdown table cell: pipes escaped, line breaks flattened. */
    static String cell(String s) {
        return s == null ? "–" : s.replace("|", "\\|").replace('\n', ' ');
    }
}
