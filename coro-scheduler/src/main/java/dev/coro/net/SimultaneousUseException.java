package dev.coro.net;

/**
 * A second coro tried to read (or write) a socket while another coro was inside a read (or write)
 * of it. One reader and one writer at a time: two interleaved {@code sendAll}s would mix their
 * bytes on the wire, and two readers would race for them [shrapnel: {@code SimultaneousError}].
 * Coros that share a socket in one direction serialize through a {@code dev.coro.sync.Mutex}, or
 * hand their data to one coro that owns the direction.
 */
public class SimultaneousUseException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    public SimultaneousUseException(String message) {
        super(message);
    }
}
