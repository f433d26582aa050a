package dev.coro;

/**
 * A coro-only operation ({@link Coro#sleep}, {@link Coro#spawn}, {@code join}, a blocking wait, …)
 * was called where no coro is running: outside {@link Scheduler#run}, on another OS thread, or on a
 * scheduler other than the one the object belongs to. [shrapnel: {@code YieldFromMain}]
 */
public class NotInCoroException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    public NotInCoroException(String message) {
        super(message);
    }
}
