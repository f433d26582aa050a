package dev.coro.bench.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The machine a report's figures come from: what the result files say (their {@code cpu}, {@code java},
 * {@code kernel}, … fields; JMH's VM fields), else what the JVM writing the report sees, marked so.
 */
final class Machine {
    private Machine() {
    }

    record Fact(String name, String value, String from) {
    }

    private static final String HERE = "this JVM, when the report was written";

    static List<Fact> facts(Inputs in) {
        List<Map<String, Object>> lines = new ArrayList<>();
        in.echo().rows().forEach(r -> lines.add(r.fields()));
        in.http().rows().forEach(r -> lines.add(r.fields()));
        String from = in.echo().measured() && in.http().measured() ? "echo and HTTP results"
                : in.echo().measured() ? "echo results" : "HTTP results";
        List<Fact> facts = new ArrayList<>();

        String cores = distinct(lines, "cores");
        facts.add(cores != null ? new Fact("cores", cores, from)
                : new Fact("cores", Integer.toString(Runtime.getRuntime().availableProcessors()), HERE));
        String cpu = distinct(lines, "cpu");
        if (cpu != null) {
            facts.add(new Fact("CPU", cpu, from));
        } else {
            String model = cpuModel();
            if (model != null) {
                facts.add(new Fact("CPU", model, "/proc/cpuinfo, when the report was written"));
            }
        }
        String java = distinct(lines, "java");
        if (java != null) {
            facts.add(new Fact("java (servers, load)", java, from));
        }
        if (in.jmh().measured()) {
            Map<String, Object> f = in.jmh().rows().getFirst().fields();
            String vm = join(Loaded.optionalText(f, "vmName"), Loaded.optionalText(f, "vmVersion"));
            if (vm != null) {
                facts.add(new Fact("java (JMH)", vm, "JMH results"));
            }
            if (f.get("jvmArgs") instanceof List<?> args && !args.isEmpty()) {
                facts.add(new Fact("JMH JVM options", String.join(" ", args.stream().map(String::valueOf).toList()),
                        "JMH results"));
            }
        }
        if (java == null && !in.jmh().measured()) {
            facts.add(new Fact("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"),
                    HERE));
        }
        String kernel = distinct(lines, "kernel");
        facts.add(kernel != null ? new Fact("kernel", kernel, from)
                : new Fact("kernel", System.getProperty("os.name") + " " + System.getProperty("os.version"), HERE));
        List<String> times = new ArrayList<>();
        for (Map<String, Object> l : lines) {
            if (l.get("time") instanceof String t) {
                times.add(t);
            }
        }
        if (!times.isEmpty()) {
            times.sort(null);
            facts.add(new Fact("runs between", times.getFirst() + " and " + times.getLast(), from));
        }
        return facts;
    }

    /** The distinct values of a field over the lines, comma-separated; null when no line has it. */
    static String distinct(List<Map<String, Object>> lines, String key) {
        Set<String> values = new LinkedHashSet<>();
        for (Map<String, Object> l : lines) {
            Object v = l.get(key);
            if (v instanceof Double d) {
                values.add(Fmt.plain(d));
            } else if (v != null) {
                values.add(v.toString());
            }
        }
        return values.isEmpty() ? null : String.join(", ", values);
    }

    private static String join(String a, String b) {
        return a == null ? b : b == null ? a : a + " " + b;
    }

    private static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or not readable: no CPU line
        }
        return null;
    }
}
