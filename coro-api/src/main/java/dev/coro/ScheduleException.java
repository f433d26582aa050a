package dev.coro;

/**
 * A scheduling request that cannot be honoured: scheduling or interrupting a dead, running or
 * already scheduled coro, interrupting a coro that never started, a coro joining itself.
 * [shrapnel: {@code ScheduleError}, {@code DeadCoroutine}, {@code NotStartedError}]
 */
public class ScheduleException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    public ScheduleException(String message) {
        super(message);
    }
}
