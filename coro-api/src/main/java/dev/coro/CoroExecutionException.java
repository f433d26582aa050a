package dev.coro;

/**
 * Carries a checked exception out of a coro's {@link java.util.concurrent.Callable}: {@code join},
 * {@link Scheduler#run} and {@link Coro#withTimeout} rethrow unchecked failures as they are and
 * wrap checked ones in this exception (the original is the cause).
 */
public class CoroExecutionException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public CoroExecutionException(String message, Throwable cause) {
        super(message, cause);
    }

    /** Rethrows {@code t} if it is unchecked, else wraps it. Never returns normally. */
    public static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) throw r;
        if (t instanceof Error e) throw e;
        throw new CoroExecutionException(t.toString(), t);
    }
}
