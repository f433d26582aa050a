package dev.coro.bench.report;

import java.util.Arrays;
import java.util.Collection;

/** The median and range of a few repeats (NaNs dropped); {@code n == 0}: nothing measured. */
record Spread(double median, double min, double max, int n) {
    static final Spread NONE = new Spread(Double.NaN, Double.NaN, Double.NaN, 0);

    static Spread of(double... values) {
        double[] s = Arrays.stream(values).filter(x -> !Double.isNaN(x)).sorted().toArray();
        if (s.length == 0) {
            return NONE;
        }
        double median = s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
        return new Spread(median, s[0], s[s.length - 1], s.length);
    }

    static Spread of(Collection<Double> values) {
        return of(values.stream().mapToDouble(Double::doubleValue).toArray());
    }

    boolean measured() {
        return n > 0;
    }

    /** More than one value and they differ: worth a whisker. */
    boolean hasRange() {
        return n > 1 && max > min;
    }
}
