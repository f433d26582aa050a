package dev.coro.net;

import java.io.IOException;

/**
 * {@link CoroSocketReader#readLine} or {@link CoroSocketReader#readUntil} found no line end (no
 * delimiter) within the reader's {@code maxLine} bytes. The bytes stay in the reader's buffer, so
 * the caller may still read them in pieces ({@code readExact}, {@code inputStream()}); most protocols
 * close the connection instead. An {@code IOException}: like a reset, it is the peer's doing.
 */
public class LineTooLongException extends IOException {
    private static final long serialVersionUID = 1L;
    private final int maxLine;

    public LineTooLongException(String message, int maxLine) {
        super(message);
        this.maxLine = maxLine;
    }

    /** The limit the line went over, in bytes (the line end or delimiter not counted). */
    public int maxLine() {
        return maxLine;
    }
}
