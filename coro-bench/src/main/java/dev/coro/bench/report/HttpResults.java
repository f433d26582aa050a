package dev.coro.bench.report;

import java.nio.file.Path;
import java.util.Map;

/**
 * Reads {@code coro-bench/target/http/results.jsonl}: one line per server run of the wrk benchmark
 * (server, switch, poller, connections, run, requests_per_s, p50_us, p90_us, p99_us, errors_connect,
 * errors_read, errors_write, errors_timeout, non2xx, cpu_us_per_req, duration_s). A coro server is
 * named {@code coro-<switch>-<poller>} as in the echo results; the others by their {@code server}.
 */
final class HttpResults {
    static final String FILE = "coro-bench/target/http/results.jsonl";

    private HttpResults() {
    }

    record Run(String variant, long connections, int run, double requestsPerS, double p50Us, double p90Us,
               double p99Us, double cpuUsPerReq, long errors, long timeouts, long non2xx,
               Map<String, Object> fields) implements ServerRun {
        @Override
        public double value(Metric m) {
            return switch (m) {
                case REQUESTS_PER_S -> requestsPerS;
                case P99_US -> p99Us;
                case CPU_US_PER_REQ -> cpuUsPerReq;
                default -> Double.NaN;
            };
        }
    }

    static Loaded<Run> read(Path file) {
        return Loaded.jsonLines(file, m -> new Run(variant(m),
                (long) Loaded.number(m, "connections"),
                (int) Loaded.optionalNumber(m, "run"),
                Loaded.number(m, "requests_per_s"),
                Loaded.optionalNumber(m, "p50_us"),
                Loaded.optionalNumber(m, "p90_us"),
                Loaded.optionalNumber(m, "p99_us"),
                Loaded.optionalNumber(m, "cpu_us_per_req"),
                Loaded.count(m, "errors_connect", "errors_read", "errors_write", "errors_timeout"),
                Loaded.count(m, "errors_timeout"),
                Loaded.count(m, "non2xx"),
                m));
    }

    static String variant(Map<String, Object> m) {
        if (m.get("variant") instanceof String v) {
            return v;
        }
        String server = Loaded.text(m, "server");
        if (!server.equals("coro")) {
            return server;
        }
        StringBuilder b = new StringBuilder("coro");
        for (String k : new String[]{"switch", "poller"}) {
            String x = Loaded.optionalText(m, k);
            if (x != null) {
                b.append('-').append(x);
            }
        }
        return b.toString();
    }
}
