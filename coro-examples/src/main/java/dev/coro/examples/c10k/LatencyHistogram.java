package dev.coro.examples.c10k;

/**
 * A log-linear histogram of non-negative nanosecond values (the layout of coro-bench's echo histogram
 * and of HdrHistogram): values below {@code 2 * SUB_BUCKETS} get a bucket each; above, every power of
 * two is split into {@code SUB_BUCKETS} equal buckets, so a bucket is never wider than
 * {@code 1 / SUB_BUCKETS} of its lowest value. A quantile is the midpoint of the bucket holding the
 * nearest-rank value: off by less than {@link #RELATIVE_ERROR} of it. Recording is a shift and an
 * increment, cheap enough for every message on the load generator's one thread; not thread-safe.
 */
final class LatencyHistogram {
    private static final int SUB_BUCKET_BITS = 7;
    private static final int SUB_BUCKETS = 1 << SUB_BUCKET_BITS;
    /** Bound on |reported - true| / true for a quantile: half a bucket over the bucket's lowest value. */
    static final double RELATIVE_ERROR = 1.0 / (2 * SUB_BUCKETS);

    private final long[] counts = new long[SUB_BUCKETS * (64 - SUB_BUCKET_BITS)];
    private long total;

    void record(long nanos) {
        counts[index(Math.max(0, nanos))]++;
        total++;
    }

    long count() {
        return total;
    }

    /** The value at quantile {@code q} (0 < q ≤ 1) by nearest rank, as its bucket's midpoint; 0 if empty. */
    double quantile(double q) {
        if (!(q > 0 && q <= 1)) {
            throw new IllegalArgumentException("quantile must be in (0, 1]: " + q);
        }
        if (total == 0) {
            return 0;
        }
        long rank = Math.max(1, (long) Math.ceil(q * total));
        long seen = 0;
        for (int i = 0; i < counts.length; i++) {
            seen += counts[i];
            if (seen >= rank) {
                return lowest(i) + (width(i) - 1) / 2.0;
            }
        }
        throw new AssertionError("rank " + rank + " beyond count " + total);
    }

    static int index(long v) {
        if (v < 2 * SUB_BUCKETS) {
            return (int) v;
        }
        int shift = 63 - Long.numberOfLeadingZeros(v) - SUB_BUCKET_BITS; // >= 1 here
        return (shift + 1) * SUB_BUCKETS + (int) ((v >>> shift) - SUB_BUCKETS);
    }

    static long lowest(int index) {
        if (index < 2 * SUB_BUCKETS) {
            return index;
        }
        int shift = index / SUB_BUCKETS - 1;
        return (long) (SUB_BUCKETS + index % SUB_BUCKETS) << shift;
    }

    static long width(int index) {
        return index < 2 * SUB_BUCKETS ? 1 : 1L << (index / SUB_BUCKETS - 1);
    }
}
