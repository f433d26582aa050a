package dev.coro.nativeswitch;

/**
 * The watchdog's memory between samples: one episode is the scheduler thread seen BLOCKED on
 * consecutive samples while the same run of the same coro is on it. Reports once per episode,
 * after {@code thresholdNanos}. Pure logic with the clock passed in, so tests need no waiting.
 * Used by the watchdog thread only.
 */
final class BlockedEpisode {

    private final long thresholdNanos;
    private boolean active;
    private boolean reported;
    private long since;
    private Object coro;
    private long runEpoch;

    BlockedEpisode(long thresholdNanos) {
        this.thresholdNanos = thresholdNanos;
    }

    /**
     * One sample. {@code blocked} is whether the scheduler thread is BLOCKED inside a coro;
     * {@code coro} and {@code runEpoch} identify that coro's current run. Returns true exactly
     * once per episode, at the first sample past the threshold.
     */
    boolean observe(boolean blocked, Object coro, long runEpoch, long nowNanos) {
        if (!blocked) {
            active = false;
            coro = null; // keep no ended coro reachable
            return false;
        }
        if (!active || coro != this.coro || runEpoch != this.runEpoch) {
            active = true;
            reported = false;
            since = nowNanos;
            this.coro = coro;
            this.runEpoch = runEpoch;
            return false;
        }
        if (!reported && nowNanos - since >= thresholdNanos) {
            reported = true;
            return true;
        }
        return false;
    }
}
