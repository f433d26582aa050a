package dev.coro.nativeswitch;

/**
 * How the monitor watchdog runs: after how long a BLOCKED scheduler thread is reported.
 * Invariant: {@code thresholdMillis >= 0}; 0 means no watchdog thread at all.
 */
record WatchdogSettings(long thresholdMillis) {

    static final String PROPERTY = "coro.native.monitorWatchdogMillis";
    static final long DEFAULT_MILLIS = 1000;

    WatchdogSettings {
        if (thresholdMillis < 0) {
            throw new IllegalArgumentException(PROPERTY + " must be >= 0 (0 disables the watchdog): " + thresholdMillis);
        }
    }

    boolean enabled() {
        return thresholdMillis > 0;
    }

    /** Sampling a few times per threshold bounds the report delay to 1.25 thresholds. */
    long periodMillis() {
        return Math.max(1, thresholdMillis / 4);
    }

    static WatchdogSettings fromSystemProperties() {
        String value = System.getProperty(PROPERTY);
        if (value == null || value.isBlank()) {
            return new WatchdogSettings(DEFAULT_MILLIS);
        }
        try {
            return new WatchdogSettings(Long.parseLong(value.strip()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    PROPERTY + " must be a number of milliseconds (0 disables the watchdog): '" + value + "'", e);
        }
    }
}
