package dev.coro.bench.report;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * {@code bin/bench-report}: reads the result files of the benchmarks (echo, HTTP, JMH, memory) and writes
 * {@code coro-bench/target/report/README.md} and its SVG charts. A missing or unreadable input makes its
 * section say so; it never stops the report.
 * <pre>
 * BenchReport [--root DIR] [--out DIR] [--echo FILE] [--http FILE] [--jmh FILE] [--memory FILE]
 * </pre>
 * {@code --root}: the repository (default: the working directory), under which the inputs and
 * {@code --out} (default {@code coro-bench/target/report}) are found unless given.
 */
public final class BenchReport {
    static final String OUT = "coro-bench/target/report";

    private BenchReport() {
    }

    public static void main(String[] args) throws IOException {
        Path root = Path.of("");
        Path out = null;
        Path echo = null;
        Path http = null;
        Path jmh = null;
        Path memory = null;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("-h") || a.equals("--help")) {
                System.out.println("usage: BenchReport [--root DIR] [--out DIR] [--echo FILE] [--http FILE] "
                        + "[--jmh FILE] [--memory FILE]");
                return;
            }
            if (i + 1 >= args.length) {
                fail(a.startsWith("--") ? a + " needs a value" : "unknown argument '" + a + "'");
            }
            Path v = Path.of(args[++i]);
            switch (a) {
                case "--root" -> root = v;
                case "--out" -> out = v;
                case "--echo" -> echo = v;
                case "--http" -> http = v;
                case "--jmh" -> jmh = v;
                case "--memory" -> memory = v;
                default -> fail("unknown argument '" + a + "' (see --help)");
            }
        }
        Inputs in = Inputs.read(echo != null ? echo : root.resolve(EchoResults.FILE),
                http != null ? http : root.resolve(HttpResults.FILE),
                jmh != null ? jmh : root.resolve(JmhResults.FILE),
                memory != null ? memory : root.resolve(MemoryResults.FILE));
        Path dir = out != null ? out : root.resolve(OUT);
        MarkdownReport.Report report = write(in, dir);
        long met = report.verdicts().stream().filter(v -> v.status() == Verdicts.Status.MET).count();
        long missed = report.verdicts().stream().filter(v -> v.status() == Verdicts.Status.MISSED).count();
        long unmeasured = report.verdicts().size() - met - missed;
        System.out.printf("bench-report: wrote %s and %d chart(s); targets: %d met, %d missed, %d not measured%n",
                dir.resolve("README.md"), report.charts().size(), met, missed, unmeasured);
    }

    /** Writes the report into {@code dir} (its previous README.md and charts replaced). */
    static MarkdownReport.Report write(Inputs in, Path dir) throws IOException {
        MarkdownReport.Report report = MarkdownReport.write(in);
        Files.createDirectories(dir);
        try (DirectoryStream<Path> old = Files.newDirectoryStream(dir, "*.svg")) {
            for (Path p : old) {
                Files.delete(p);
            }
        }
        Files.writeString(dir.resolve("README.md"), report.markdown());
        for (Map.Entry<String, String> c : report.charts().entrySet()) {
            Files.writeString(dir.resolve(c.getKey()), c.getValue());
        }
        return report;
    }

    private static void fail(String message) {
        System.err.println("bench-report: " + message);
        System.exit(2);
    }
}
