package dev.coro.bench.ab;

import java.util.Arrays;

/**
 * The figures of a same-JVM A/B: per pair, B's time over A's, measured back to back, so that what the
 * host did to both (another VM's load, a frequency step) cancels in the ratio. Reports the median and
 * quartiles of the ratios, and each side's median time.
 *
 * <p>Caveat: a pair only cancels what is slower than a pair (about a second here); the quartiles say
 * how much did not cancel. Compare with an A/A run (both sides the same build) before trusting a few
 * percent.
 */
final class PairedRatios {
    private final double[] a;
    private final double[] b;
    private int n;

    PairedRatios(int pairs) {
        if (pairs < 1) {
            throw new IllegalArgumentException("pairs must be at least 1, not " + pairs);
        }
        a = new double[pairs];
        b = new double[pairs];
    }

    void add(double aNanos, double bNanos) {
        if (!(aNanos > 0) || !(bNanos > 0)) {
            throw new IllegalArgumentException("times must be positive: a " + aNanos + ", b " + bNanos);
        }
        a[n] = aNanos;
        b[n++] = bNanos;
    }

    double ratioQuantile(double q) {
        double[] r = new double[n];
        for (int i = 0; i < n; i++) {
            r[i] = b[i] / a[i];
        }
        return quantile(r, q);
    }

    double medianA() {
        return quantile(Arrays.copyOf(a, n), 0.5);
    }

    double medianB() {
        return quantile(Arrays.copyOf(b, n), 0.5);
    }

    /** Linear between the two nearest ranks (sorts {@code v}). */
    static double quantile(double[] v, double q) {
        if (v.length == 0) {
            throw new IllegalStateException("no pairs measured");
        }
        Arrays.sort(v);
        double pos = q * (v.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(lo + 1, v.length - 1);
        return v[lo] + (pos - lo) * (v[hi] - v[lo]);
    }

    String summary() {
        return String.format("A median %.1f ns, B median %.1f ns; B/A per pair: median %.3f [q1 %.3f, q3 %.3f] over %d pairs",
                medianA(), medianB(), ratioQuantile(0.5), ratioQuantile(0.25), ratioQuantile(0.75), n);
    }
}
