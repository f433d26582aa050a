package dev.coro;

/**
 * A wait ran out of time: thrown by the {@link Coro#withTimeout} frame whose own timebomb fired, by
 * {@link Coro#join(java.time.Duration)}, and by the timed variants of every blocking operation.
 * [shrapnel: {@code TimeoutError}]
 */
public class CoroTimeoutException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public CoroTimeoutException(String message) {
        super(message);
    }

    public CoroTimeoutException(String message, Throwable cause) {
        super(message, cause);
    }
}
