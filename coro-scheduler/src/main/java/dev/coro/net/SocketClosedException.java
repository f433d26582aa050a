package dev.coro.net;

import java.io.IOException;

/**
 * The socket is closed: an operation was attempted on a closed socket, or the socket was closed
 * (by another coro, or another thread) while this coro waited on it [shrapnel: {@code ClosedError},
 * notify of close].
 */
public class SocketClosedException extends IOException {
    private static final long serialVersionUID = 1L;

    public SocketClosedException(String message) {
        super(message);
    }
}
