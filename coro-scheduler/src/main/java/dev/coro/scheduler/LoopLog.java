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

    /**
     * Loads this class while file descriptors are still available (a class file needs one): the
     * scheduler calls it as it starts, since the first use may come only once they have run out.
     */
    static void preload() {
    }

    private static void fallback(System.Logger.Level level, String message, Throwable thrown, Throwable logFailure) {
        try {
            // A StringBuilder, not string concatenation: its first use would bootstrap an invokedynamic
            // call site, which may need classes that cannot be loaded now.
            StringBuilder line = new StringBuilder(128).append("[coro ").append(level).append("] ")
                    .append(message != null ? message : "(message not built)");
            if (thrown != null) {
                line.append(" - ").append(thrown);
            }
            System.err.println(line.append(" (the logger failed: ").append(logFailure).append(')'));
        } catch (Throwable ignored) {
            // Nowhere left to report to; the loop must go on.
        }
    }
}
