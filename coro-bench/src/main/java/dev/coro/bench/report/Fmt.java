package dev.coro.bench.report;

import java.util.Locale;

/** How the report writes its figures: a few significant digits, thousands separated, units where due. */
final class Fmt {
    private Fmt() {
    }

    /** A rate: 81.2k, 1.25M. */
    static String rate(double perSecond) {
        if (Double.isNaN(perSecond)) {
            return "–";
        }
        return perSecond >= 1e6 ? String.format(Locale.ROOT, "%.2fM", perSecond / 1e6)
                : perSecond >= 1e3 ? String.format(Locale.ROOT, "%.1fk", perSecond / 1e3)
                : String.format(Locale.ROOT, "%.0f", perSecond);
    }

    /** A plain figure: 3 significant digits below 1,000, whole numbers with separators above. */
    static String num(double x) {
        if (Double.isNaN(x)) {
            return "–";
        }
        double a = Math.abs(x);
        if (a == 0) {
            return "0";
        }
        if (a >= 1000) {
            return String.format(Locale.ROOT, "%,.0f", x);
        }
        if (a >= 100) {
            return String.format(Locale.ROOT, "%.0f", x);
        }
        if (a >= 10) {
            return String.format(Locale.ROOT, "%.1f", x);
        }
        if (a >= 0.1) {
            return String.format(Locale.ROOT, "%.2f", x);
        }
        return String.format(Locale.ROOT, "%.3g", x);
    }

    /** As written in a command line: 5, 32, 0.5. */
    static String plain(double x) {
        return x == Math.rint(x) && Math.abs(x) < 1e15 ? Long.toString((long) x) : Double.toString(x);
    }

    static String value(Metric m, double x) {
        return switch (m) {
            case MSGS_PER_S, REQUESTS_PER_S -> rate(x);
            default -> num(x);
        };
    }

    /** {@code value [min–max]}, the bracket only when there are several differing figures. */
    static String spread(Metric m, Spread s) {
        if (!s.measured()) {
            return "–";
        }
        String v = value(m, s.median());
        return s.hasRange() ? v + " [" + value(m, s.min()) + "–" + value(m, s.max()) + "]" : v;
    }

    static String ratio(double r) {
        if (Double.isNaN(r) || Double.isInfinite(r)) {
            return "–";
        }
        return r >= 10 ? String.format(Locale.ROOT, "%.1f×", r)
                : r >= 0.1 ? String.format(Locale.ROOT, "%.2f×", r)
                : String.format(Locale.ROOT, "%.3f×", r);
    }

    static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }
}
