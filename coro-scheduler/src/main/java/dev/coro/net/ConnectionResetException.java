package dev.coro.net;

import java.io.IOException;
import java.net.SocketException;

/**
 * The peer reset the connection: it closed with unread data or with {@code SO_LINGER} 0, crashed, or
 * a middlebox dropped the connection. A {@link CoroSocket} read or write raises this in place of the
 * JDK's {@code SocketException: Connection reset}, {@code IOException: Connection reset by peer} or
 * {@code IOException: Broken pipe} (the original is the cause).
 *
 * <p>Why an exception and not the end of the stream: a reset means bytes were lost — what the peer
 * had not read, and maybe what it had sent and we had not yet received — so a reader must not take a
 * truncated request for a complete one, and a writer must learn that its data did not arrive. It is
 * a {@link SocketException}, so code that catches that (or {@code IOException}) keeps working; a
 * server that treats a vanished client as the end of that connection catches this type alone. An
 * uncaught one ends only the coro using the socket and is logged as one WARNING line
 * ({@code Scheduler}'s default uncaught handler treats every {@link IOException} so).
 */
public class ConnectionResetException extends SocketException {
    private static final long serialVersionUID = 1L;

    public ConnectionResetException(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * Whether {@code e} is the JDK's report of a reset connection (ECONNRESET, or EPIPE for a write
     * after the peer's reset). The JDK has no public type for it, only these messages.
     */
    static boolean isReset(IOException e) {
        String m = e.getMessage();
        return m != null && (m.equals("Connection reset") || m.equals("Connection reset by peer")
                || m.equals("Broken pipe"));
    }
}
