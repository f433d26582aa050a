package dev.coro.bench.http;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a {@code wrk --latency} run printed (wrk 4.x): completed requests, its runtime, requests/s,
 * latency mean, max and percentiles (50/75/90/99 of {@code --latency}, in µs), socket errors (connect,
 * read, write, timeout; wrk prints the line only when one is non-zero) and responses with a status of
 * 400 or more ({@code Non-2xx or 3xx responses}, also only when non-zero). Output without one of the
 * lines wrk always prints is an {@code IllegalArgumentException} naming it: a changed format must fail
 * the run, not put zeros in the results.
 */
record WrkOutput(long requests, double seconds, double requestsPerSecond, double meanUs, double maxUs,
                 double p50Us, double p75Us, double p90Us, double p99Us,
                 long errorsConnect, long errorsRead, long errorsWrite, long errorsTimeout, long non2xx) {

    private static final String TIME = "([0-9]+(?:\\.[0-9]+)?)(us|ms|s|m|h)";
    private static final Pattern REQUESTS = Pattern.compile("(?m)^\\s*([0-9]+) requests in " + TIME + ",");
    private static final Pattern RATE = Pattern.compile("(?m)^Requests/sec:\\s+([0-9]+(?:\\.[0-9]+)?)\\s*$");
    private static final Pattern LATENCY = Pattern.compile("(?m)^\\s*Latency\\s+" + TIME + "\\s+\\S+\\s+" + TIME);
    private static final Pattern ERRORS = Pattern.compile(
            "(?m)^\\s*Socket errors: connect ([0-9]+), read ([0-9]+), write ([0-9]+), timeout ([0-9]+)\\s*$");
    private static final Pattern NON2XX = Pattern.compile("(?m)^\\s*Non-2xx or 3xx responses: ([0-9]+)\\s*$");

    static WrkOutput parse(String out) {
        Matcher r = find(REQUESTS, out, "'N requests in T, ...'");
        Matcher rate = find(RATE, out, "'Requests/sec: R'");
        Matcher lat = find(LATENCY, out, "the Latency line of 'Thread Stats'");
        Matcher e = ERRORS.matcher(out);
        boolean errors = e.find();
        Matcher n = NON2XX.matcher(out);
        boolean non2xx = n.find();
        return new WrkOutput(Long.parseLong(r.group(1)), micros(r.group(2), r.group(3)) / 1e6,
                Double.parseDouble(rate.group(1)), micros(lat.group(1), lat.group(2)), micros(lat.group(3), lat.group(4)),
                percentile(out, 50), percentile(out, 75), percentile(out, 90), percentile(out, 99),
                errors ? Long.parseLong(e.group(1)) : 0, errors ? Long.parseLong(e.group(2)) : 0,
                errors ? Long.parseLong(e.group(3)) : 0, errors ? Long.parseLong(e.group(4)) : 0,
                non2xx ? Long.parseLong(n.group(1)) : 0);
    }

    long socketErrors() {
        return errorsConnect + errorsRead + errorsWrite + errorsTimeout;
    }

    /** The fields of a result line, without braces. */
    String json() {
        return String.format(Locale.ROOT, "\"requests\":%d,\"duration_s\":%.3f,\"requests_per_s\":%.0f,"
                        + "\"latency_mean_us\":%.1f,\"latency_max_us\":%.1f,\"p50_us\":%.1f,\"p75_us\":%.1f,"
                        + "\"p90_us\":%.1f,\"p99_us\":%.1f,\"errors_connect\":%d,\"errors_read\":%d,"
                        + "\"errors_write\":%d,\"errors_timeout\":%d,\"non2xx\":%d",
                requests, seconds, requestsPerSecond, meanUs, maxUs, p50Us, p75Us, p90Us, p99Us,
                errorsConnect, errorsRead, errorsWrite, errorsTimeout, non2xx);
    }

    private static double percentile(String out, int p) {
        Matcher m = find(Pattern.compile("(?m)^\\s*" + p + "%\\s+" + TIME + "\\s*$"), out,
                "the " + p + "% line of 'Latency Distribution' (was wrk run with --latency?)");
        return micros(m.group(1), m.group(2));
    }

    private static Matcher find(Pattern p, String out, String what) {
        Matcher m = p.matcher(out);
        if (!m.find()) {
            throw new IllegalArgumentException("no " + what + " in wrk's output");
        }
        return m;
    }

    /** wrk's time units (its units.c): us, ms, s, then m and h. */
    static double micros(String value, String unit) {
        double v = Double.parseDouble(value);
        return switch (unit) {
            case "us" -> v;
            case "ms" -> v * 1e3;
            case "s" -> v * 1e6;
            case "m" -> v * 60e6;
            case "h" -> v * 3600e6;
            default -> throw new IllegalArgumentException("not a wrk time unit: " + unit);
        };
    }
}
