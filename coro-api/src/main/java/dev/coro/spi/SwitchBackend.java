package dev.coro.spi;

/**
 * Switches between the scheduler and coroutines. One instance serves one scheduler run; every
 * method but {@link #close()} and {@link Coroutine#stackTrace()} is called on the scheduler thread
 * or inside a coroutine it resumed (never concurrently: one coroutine runs at a time).
 */
public interface SwitchBackend extends AutoCloseable {

    String name();

    /** One line for the start log, e.g. {@code native (strict monitor mode)}. */
    default String describe() {
        return name();
    }

    /**
     * A suspended coroutine that runs {@code body} from its first {@link #resume}. The body must not
     * throw (the scheduler wraps it); if it does, {@code resume} rethrows after marking it done.
     * {@code name} may be null: the coroutine's {@link Coroutine#name()} is then the host's
     * {@link SwitchHost#nameOf nameOf(attachment)}, asked only when needed.
     */
    Coroutine create(String name, Runnable body, Object attachment);

    /**
     * Runs {@code c} on the calling (scheduler) thread until it suspends, blocks or ends, and says
     * which. A coroutine that is done cannot be resumed: resume throws {@link IllegalStateException}
     * and runs nothing.
     */
    ResumeOutcome resume(Coroutine c);

    /**
     * Called by the running coroutine: switches back to the {@link #resume} caller and returns when
     * resumed. Throws {@link dev.coro.CoroPinnedException} (and does not switch) when the coroutine's
     * stack forbids it.
     */
    void suspend();

    /**
     * Asks a {@link ResumeOutcome#BLOCKED} coroutine's JDK call to end early (loom: interrupts its
     * thread). Backends whose coroutines never block do nothing.
     */
    void interruptBlocked(Coroutine c);

    /** Releases the backend's threads and resources; coroutines still suspended are abandoned. Idempotent. */
    @Override
    void close();
}
