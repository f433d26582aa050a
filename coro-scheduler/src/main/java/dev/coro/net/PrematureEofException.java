package dev.coro.net;

import java.io.EOFException;

/**
 * {@link CoroSocket#recvExact} met the end of the stream before it had all the bytes it was asked
 * for; {@link #received()} holds the bytes that did arrive [shrapnel: {@code EOFError(partial)}].
 */
public class PrematureEofException extends EOFException {
    private static final long serialVersionUID = 1L;
    private final transient byte[] received;
    private final int wanted;

    public PrematureEofException(String what, int wanted, byte[] received) {
        super(what + ": the peer closed the stream after " + received.length + " of " + wanted + " bytes");
        this.received = received;
        this.wanted = wanted;
    }

    /** The bytes received before the end of the stream (a copy). */
    public byte[] received() {
        return received.clone();
    }

    /** How many bytes were asked for. */
    public int wanted() {
        return wanted;
    }
}
