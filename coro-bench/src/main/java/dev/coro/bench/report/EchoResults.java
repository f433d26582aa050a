package dev.coro.bench.report;

import java.nio.file.Path;
import java.util.Map;

/**
 * Reads {@code coro-bench/target/echo/results.jsonl}: one line per server run, as {@code bin/echo-bench}
 * writes it (fields of {@code EchoLoad}'s result plus the run's labels). Unknown fields are kept in
 * {@link Run#fields} and otherwise ignored.
 */
final class EchoResults {
    static final String FILE = "coro-bench/target/echo/results.jsonl";

    private EchoResults() {
    }

    record Run(String variant, long connections, int run, double msgsPerS, double p50Us, double p99Us,
               double p999Us, double cpuUsPerMsg, long errors, boolean serverSurvived,
               Map<String, Object> fields) implements ServerRun {
        @Override
        public double value(Metric m) {
            return switch (m) {
                case MSGS_PER_S -> msgsPerS;
                case P99_US -> p99Us;
                case CPU_US_PER_MSG -> cpuUsPerMsg;
                default -> Double.NaN;
            };
        }
    }

    static Loaded<Run> read(Path file) {
        return Loaded.jsonLines(file, m -> new Run(
                m.get("variant") instanceof String v ? v : Loaded.text(m, "server"),
                (long) Loaded.number(m, "connections"),
                (int) Loaded.optionalNumber(m, "run"),
                Loaded.number(m, "msgs_per_s"),
                Loaded.optionalNumber(m, "p50_us"),
                Loaded.optionalNumber(m, "p99_us"),
                Loaded.optionalNumber(m, "p999_us"),
                Loaded.optionalNumber(m, "cpu_us_per_msg"),
                Loaded.count(m, "errors"),
                !Boolean.FALSE.equals(m.get("server_survived")),
                m));
    }
}
