package dev.coro.bench.echo;

import dev.coro.examples.c10k.LatencyHistogram;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The histogram's buckets tile the longs, and its percentiles stay within the stated relative error. */
class LatencyHistogramTest {
    @Test
    void bucketsAreContiguousAndHoldTheirValues() {
        long expectedLowest = 0;
        int last = LatencyHistogram.index(Long.MAX_VALUE);
        for (int i = 0; i <= last; i++) {
            long lo = LatencyHistogram.lowest(i);
            long hi = lo + LatencyHistogram.width(i) - 1;
            assertEquals(expectedLowest, lo, "bucket " + i + " starts where the one before ended");
            assertEquals(i, LatencyHistogram.index(lo));
            assertEquals(i, LatencyHistogram.index(hi));
            assertTrue(lo < 2L * LatencyHistogram.SUB_BUCKETS || LatencyHistogram.width(i) * LatencyHistogram.SUB_BUCKETS <= lo,
                    "bucket " + i + " no wider than 1/SUB_BUCKETS of its lowest value");
            expectedLowest = hi + 1;
        }
        assertEquals(Long.MIN_VALUE, expectedLowest, "the last bucket ends at Long.MAX_VALUE");
    }

    @Test
    void quantilesAreNearestRankWithinTheRelativeError() {
        SplittableRandom random = new SplittableRandom(12);
        long[] values = new long[100_001];
        LatencyHistogram h = new LatencyHistogram();
        for (int i = 0; i < values.length; i++) {
            values[i] = (long) Math.exp(random.nextDouble(0, Math.log(5e9))); // 1 ns .. 5 s, log-uniform
            h.record(values[i]);
        }
        Arrays.sort(values);
        for (double q : new double[]{0.001, 0.5, 0.9, 0.99, 0.999, 1.0}) {
            long exact = values[(int) Math.ceil(q * values.length) - 1];
            double got = h.quantile(q);
            assertTrue(Math.abs(got - exact) <= exact * LatencyHistogram.RELATIVE_ERROR,
                    "q=" + q + ": " + got + " vs " + exact);
        }
        assertEquals(values[values.length - 1], h.max());
        assertEquals(values.length, h.count());
    }

    @Test
    void emptyAndBadQuantiles() {
        LatencyHistogram h = new LatencyHistogram();
        assertEquals(0, h.quantile(0.99));
        assertThrows(IllegalArgumentException.class, () -> h.quantile(0));
        assertThrows(IllegalArgumentException.class, () -> h.quantile(1.5));
        h.record(-5); // a clock that went backwards counts as 0
        assertEquals(0, h.quantile(1));
    }
}
