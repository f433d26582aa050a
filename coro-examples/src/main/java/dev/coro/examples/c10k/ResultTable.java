package dev.coro.examples.c10k;

import dev.coro.examples.c10k.LoadGenerator.Result;
import dev.coro.examples.c10k.ServerProcess.ServerStats;

import java.io.PrintStream;
import java.util.Locale;

/**
 * The demo's closing table: one figure per row, with what it was computed from in parentheses.
 * Server memory per connection is (measured with every connection open) minus (measured before the
 * first connect), over the connections the server had open then: the cost of a connection, not of
 * the JVM.
 */
final class ResultTable {
    private ResultTable() {
    }

    static void print(PrintStream out, Result r, int size, ServerStats idle) {
        out.println();
        row(out, "peak concurrent connections", String.format(Locale.ROOT, "%,d of %,d (ramp-up %.1f s)",
                r.peak(), r.connections(), r.rampSeconds()));
        row(out, "messages/s", String.format(Locale.ROOT, "%,.0f (%,d echoes of %d bytes in %.1f s)",
                r.messagesPerSecond(), r.windowMessages(), size, r.windowSeconds()));
        row(out, "latency p50 / p99 / p99.9", r.windowMessages() == 0 ? "n/a (no echo in the window)"
                : String.format(Locale.ROOT, "%.3f / %.3f / %.3f ms", r.p50Nanos() / 1e6, r.p99Nanos() / 1e6,
                        r.p999Nanos() / 1e6));
        row(out, "errors", String.format(Locale.ROOT, "%,d (%,d connects failed, %,d not attempted, %,d during echoes)",
                r.errors(), r.connectFailures(), r.notAttempted(), r.exchangeErrors()));
        ServerStats s = r.server();
        if (s == null || idle == null) {
            row(out, "server memory", "n/a (the server was not measured)");
        } else {
            row(out, "server heap per connection", perConnection(s.heapBytes(), idle.heapBytes(), s.open(),
                    "used after GC"));
            row(out, "server RSS per connection", s.rssBytes() < 0 ? "n/a (no /proc/self/status)"
                    : perConnection(s.rssBytes(), idle.rssBytes(), s.open(), "RSS"));
        }
        if (r.firstConnectFailure() != null) {
            out.println("  first failed connect: " + r.firstConnectFailure());
        }
        if (r.firstExchangeError() != null) {
            out.println("  first error during echoes: " + r.firstExchangeError());
        }
    }

    private static String perConnection(long busy, long idle, int open, String what) {
        String detail = String.format(Locale.ROOT, "(%s: %s with %,d open, %s before the first)", what, bytes(busy),
                open, bytes(idle));
        return open == 0 ? "n/a " + detail : bytes((double) (busy - idle) / open) + " " + detail;
    }

    static String bytes(double b) {
        double a = Math.abs(b);
        if (a >= 1 << 30) {
            return String.format(Locale.ROOT, "%.1f GiB", b / (1 << 30));
        }
        if (a >= 1 << 20) {
            return String.format(Locale.ROOT, "%.1f MiB", b / (1 << 20));
        }
        if (a >= 1 << 10) {
            return String.format(Locale.ROOT, "%.1f KiB", b / (1 << 10));
        }
        return String.format(Locale.ROOT, "%.0f B", b);
    }

    private static void row(PrintStream out, String name, String value) {
        out.printf(Locale.ROOT, "  %-28s %s%n", name, value);
    }
}
