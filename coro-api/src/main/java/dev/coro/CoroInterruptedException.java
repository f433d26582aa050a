package dev.coro;

/**
 * Raised in a coro at its suspension point by {@link Coro#interrupt(Object)}, or by a timebomb of
 * {@link Coro#withTimeout} (then {@link #value()} is that timebomb and the owning {@code withTimeout}
 * frame turns it into a {@link CoroTimeoutException}). [shrapnel: {@code Interrupted}]
 */
public class CoroInterruptedException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient Object value;

    public CoroInterruptedException(Object value) {
        this("interrupted: " + value, value);
    }

    public CoroInterruptedException(String message, Object value) {
        super(message);
        this.value = value;
    }

    /** What {@code interrupt} was given, or the timebomb that fired. */
    public Object value() {
        return value;
    }
}
