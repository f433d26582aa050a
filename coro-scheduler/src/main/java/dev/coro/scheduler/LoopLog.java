package dev.coro.scheduler;

import java.util.function.Supplier;

/**
 * Logging that cannot take the loop down. Every log call made on the scheduler thread (or in a coro)
 * goes through here: a logger can fail — the JDK's default console logger needs {@code tzdb.dat} for
 * its first record, which cannot be opened when the process is out of file descriptors (EMFILE) —
 * and a failure escaping an error path would end the run and strand every joiner. A failed record
 * is written to {@code System.err} as one line instead, and if that fails too it is dropped.
 *
 * <p>Not a user API: {@code dev.coro.net} uses it from its own package.
 */
public final class LoopLog {
    private LoopLog() {
    }

    /** Logs {@code message} (and {@code thrown}, if not null); never throws. */
    public static void log(System.Logger logger, System.Logger.Level level, String message, Throwable thrown) {
        try {
            if (thrown == null) {
                logger.log(level, message);
            } else {
                logger.log(level, message, thrown);
            }
        } catch (Throwable logFailure) {
            fallback(level, message, thrown, logFailure);
        }
    }

    /** Logs the message {@code message} makes, if {@code level} is enabled; never throws. */
    public static void log(System.Logger logger, System.Logger.Level level, Supplier<String> message) {
        try {
            logger.log(level, message);
        } catch (Throwable logFailure) {
            fallback(level, null, null, logFailure);
        }
    }

    private static void fallback(System.Logger.Level level, String message, Throwable thrown, Throwable logFailure) {
        try {
            System.err.println("[coro " + level + "] " + (message != null ? message : "(message not built)")
                    + (thrown != null ? " — " + thrown : "") + " (the logger failed: " + logFailure + ")");
        } catch (Throwable ignored) {
            // Nowhere left to report to; the loop must go on.
        }
    }
}
