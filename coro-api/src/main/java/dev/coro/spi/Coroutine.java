package dev.coro.spi;

/** A switch backend's handle on one coroutine. */
public interface Coroutine {

    /** What the scheduler gave to {@link SwitchBackend#create}. */
    Object attachment();

    /** The name given to {@link SwitchBackend#create}, or, if none was, the host's {@link SwitchHost#nameOf}. */
    String name();

    /** True once the body has ended. */
    boolean isDone();

    /**
     * The coroutine's stack: its saved frames when suspended, its live frames when running (callable
     * from any thread). For dumps and reports only: it costs microseconds.
     */
    StackTraceElement[] stackTrace();
}
