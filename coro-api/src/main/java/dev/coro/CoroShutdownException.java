package dev.coro;

/**
 * Raised in a coro by {@link Coro#shutdown()}, and in every coro still alive when
 * {@link Scheduler#run} ends. A coro that lets it escape ends quietly: it is not reported to the
 * uncaught-exception handler, but its joiners see it. [shrapnel: {@code Shutdown}]
 */
public class CoroShutdownException extends CoroInterruptedException {
    private static final long serialVersionUID = 1L;

    public CoroShutdownException(String reason) {
        super("shutdown: " + reason, reason);
    }
}
