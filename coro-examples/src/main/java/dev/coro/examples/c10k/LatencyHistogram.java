package dev.coro.examples.c10k;

/**
 * A log-linear histogram of non-negative values (nanoseconds here), in the manner of HdrHistogram
 * (shared by the c10k demo's load generator and coro-bench's echo load):
 * values below {@code 2 * SUB_BUCKETS} get a bucket each (exact); above, every power of two is split into
 * {@code SUB_BUCKETS} equal buckets, so a bucket is never wider than {@code 1 / SUB_BUCKETS} of its lowest
 * value. A percentile is the midpoint of the bucket that holds the nearest-rank value, so it is off
 * from that value by less than {@link #RELATIVE_ERROR} of it. Recording is a few shifts and an array
 * increment: cheap enough to call for every echoed message on the load generator's one thread.
 */
public final class LatencyHistogram {
    public static final int SUB_BUCKET_BITS = 7;
    public static final int SUB_BUCKETS = 1 << SUB_BUCKET_BITS;
    /** Bound on |reported - true| / true for a percentile: half a bucket over the bucket's lowest value. */
    public static final double RELATIVE_ERROR = 1.0 / (2 * SUB_BUCKETS);

    // One row of SUB_BUCKETS per shift 0..(62 - SUB_BUCKET_BITS), after the exact first 2 * SUB_BUCKETS.
    private final long[] counts = new long[SUB_BUCKETS * (64 - SUB_BUCKET_BITS)];
    private long total;
    private long sum;
    private long max;

    public void record(long value) {
        long v = Math.max(0, value);
        counts[index(v)]++;
        total++;
        sum += v;
        max = Math.max(max, v);
    }

    public long count() {
        return total;
    }

    public long max() {
        return max;
    }

    public double mean() {
        return total == 0 ? 0 : (double) sum / total;
    }

    /**
     * The value at quantile {@code q} ({@code 0 < q ≤ 1}) by nearest rank: the smallest recorded value with at
     * least {@code ceil(q * count)} values at or below it, reported as its bucket's midpoint. 0 if empty.
     */
    public double quantile(double q) {
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

    public static int index(long v) {
        if (v < 2 * SUB_BUCKETS) {
            return (int) v;
        }
        int shift = 63 - Long.numberOfLeadingZeros(v) - SUB_BUCKET_BITS; // >= 1 here
        return (shift + 1) * SUB_BUCKETS + (int) ((v >>> shift) - SUB_BUCKETS);
    }

    public static long lowest(int index) {
        if (index < 2 * SUB_BUCKETS) {
            return index;
        }
        int shift = index / SUB_BUCKETS - 1;
        return (long) (SUB_BUCKETS + index % SUB_BUCKETS) << shift;
    }

    public static long width(int index) {
        return index < 2 * SUB_BUCKETS ? 1 : 1L << (index / SUB_BUCKETS - 1);
    }
}
