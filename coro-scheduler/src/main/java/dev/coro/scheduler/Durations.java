package dev.coro.scheduler;

import java.time.Duration;

/** Checks and converts the durations coros pass in; each bad value gets a message naming it. */
final class Durations {
    private Durations() {
    }

    /** A sleep or wait length: not null, not negative, representable in nanoseconds. */
    static long nonNegativeNanos(Duration d, String what) {
        if (d == null) {
            throw new NullPointerException(what + " must not be null");
        }
        if (d.isNegative()) {
            throw new IllegalArgumentException(what + " must not be negative, got " + d);
        }
        return toNanos(d, what);
    }

    /** A {@code withTimeout} length: negative counts as 0 (SPEC.md §3 rule 5). */
    static long timeoutNanos(Duration d, String what) {
        if (d == null) {
            throw new NullPointerException(what + " must not be null");
        }
        return d.isNegative() ? 0 : toNanos(d, what);
    }

    private static long toNanos(Duration d, String what) {
        try {
            return d.toNanos();
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException(what + " " + d
                    + " is too long: at most Long.MAX_VALUE nanoseconds (about 292 years)");
        }
    }

    /** {@code now + nanos}, saturating at Long.MAX_VALUE (a deadline that never comes). */
    static long deadline(long now, long nanos) {
        long d = now + nanos;
        return (nanos > 0 && d < now) ? Long.MAX_VALUE : d;
    }
}
