package dev.coro.spi;

/** What a switch backend may ask of the scheduler that opened it. */
public interface SwitchHost {

    /** The thread that calls {@link SwitchBackend#resume}. */
    Thread schedulerThread();

    /**
     * A coroutine that {@link SwitchBackend#resume} reported {@link ResumeOutcome#BLOCKED} can run
     * again. Any thread, any time, also re-entrantly from inside a running coroutine; never blocks,
     * never throws, never drops; a duplicate call is harmless.
     */
    void wakeup(Coroutine coroutine);

    /**
     * The name of a coroutine that {@link SwitchBackend#create} was given no name for, from its
     * attachment; asked when a message or a thread needs it (an unnamed coro then costs no string).
     * The default is the attachment's {@code toString()}.
     */
    default String nameOf(Object attachment) {
        return String.valueOf(attachment);
    }
}
