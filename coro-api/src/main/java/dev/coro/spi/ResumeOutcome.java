package dev.coro.spi;

/** How a {@link SwitchBackend#resume} ended. */
public enum ResumeOutcome {
    /** The coroutine called {@link SwitchBackend#suspend()}; only a resume continues it. */
    SUSPENDED,
    /**
     * The coroutine parked inside a JDK call (loom: {@code Thread.sleep}, a j.u.c lock, a JDK
     * socket); the backend calls {@link SwitchHost#wakeup} when it can run again.
     */
    BLOCKED,
    /** The body has ended; the coroutine cannot be resumed again. */
    DONE
}
