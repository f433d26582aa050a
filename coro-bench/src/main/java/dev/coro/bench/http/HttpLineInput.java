package dev.coro.bench.http;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A {@code BufferedInputStream} that also reads bounded lines, for the virtual-thread server: what
 * coro's {@code CoroSocketReader.readLine} does, on a blocking stream. It scans the stream's own buffer
 * ({@code buf}, {@code pos}, {@code count} are there for subclasses) rather than calling {@code read()}
 * per byte, which would take the stream's lock for every byte of a head.
 */
final class HttpLineInput extends BufferedInputStream {
    /** A line longer than the bound: the stream is then good only for draining. */
    static final class TooLong extends IOException {
        private static final long serialVersionUID = 1L;

        TooLong(int maxLine) {
            super("a line longer than " + maxLine + " bytes");
        }
    }

    private final int maxLine;
    private byte[] partial = new byte[256]; // a line that spans refills
    private int partialLength;

    HttpLineInput(InputStream in, int maxLine) {
        super(in, 8192);
        this.maxLine = maxLine;
    }

    /**
     * The next line in ISO-8859-1 without its {@code \n} or {@code \r\n}; at the end of the stream the
     * last unterminated line, then null.
     *
     * @throws TooLong once the line has more than {@code maxLine} bytes (line end not counted)
     */
    String readLine() throws IOException {
        partialLength = 0;
        while (true) {
            for (int i = pos; i < count; i++) {
                if (buf[i] == '\n') {
                    String line = line(i);
                    pos = i + 1;
                    return line;
                }
            }
            append(pos, count);
            pos = count;
            int b = read(); // refills the buffer (blocking), then takes one byte of it
            if (b < 0) {
                return partialLength == 0 ? null : new String(partial, 0, partialLength, StandardCharsets.ISO_8859_1);
            }
            pos--; // give the byte back: the scan above sees it in buf
        }
    }

    /** The line ending at the '\n' in {@code buf[newline]}: what spanned refills, then {@code buf[pos, newline)}. */
    private String line(int newline) throws TooLong {
        int end = newline;
        if (partialLength == 0) {
            if (end > pos && buf[end - 1] == '\r') {
                end--;
            }
            check(end - pos);
            return new String(buf, pos, end - pos, StandardCharsets.ISO_8859_1);
        }
        append(pos, end);
        int n = partialLength;
        if (n > 0 && partial[n - 1] == '\r') {
            n--;
        }
        check(n);
        return new String(partial, 0, n, StandardCharsets.ISO_8859_1);
    }

    private void append(int from, int to) throws TooLong {
        int n = to - from;
        // maxLine + 1: room for the '\r' of a "\r\n" that a refill splits from its '\n'
        check(partialLength + n - 1);
        if (partialLength + n > partial.length) {
            partial = Arrays.copyOf(partial, Math.max(partial.length * 2, partialLength + n));
        }
        System.arraycopy(buf, from, partial, partialLength, n);
        partialLength += n;
    }

    private void check(int length) throws TooLong {
        if (length > maxLine) {
            throw new TooLong(maxLine);
        }
    }
}
