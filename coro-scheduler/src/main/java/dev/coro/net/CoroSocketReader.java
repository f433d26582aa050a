package dev.coro.net;

import dev.coro.Coro;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * A buffered reader over a {@link CoroSocket} [shrapnel: {@code read_stream}]: lines
 * ({@link #readLine}), delimited records ({@link #readUntil}), exact counts ({@link #readExact}) and
 * an {@link InputStream} view ({@link #inputStream}), all over one buffer, so they can be mixed
 * freely. Get it from {@link CoroSocket#reader(int)}. Every wait suspends only the calling coro; the
 * reads are the socket's own ({@link CoroSocket#recvInto}, tried before any wait), straight into the
 * buffer: a call served from the buffer makes no system call, and none allocates beyond what it
 * returns.
 *
 * <p><b>Bounded.</b> A line or record may be at most {@code maxLine} bytes, its line end or delimiter
 * not counted; a longer one is a {@link LineTooLongException} as soon as {@code maxLine} bytes plus
 * the delimiter's length have arrived without a delimiter, so the buffer never holds more than
 * {@code maxLine} plus one read chunk ({@value #CHUNK} bytes). It starts small and grows only as a
 * line needs it. ({@link #readExact} of more than that reads the excess straight into the returned
 * array.)
 *
 * <p><b>Timeouts and interrupts lose nothing.</b> The socket's {@link CoroSocket#setTimeout per-wait
 * timeout} and {@link Coro#withTimeout} around a call work as on the socket; when one fires (or an
 * interrupt, or a {@link SocketClosedException} of a close) in the middle of a line, a record or a
 * {@code readExact}, every byte read so far stays buffered for the next call.
 *
 * <p>The end of the stream: {@code readLine} and {@code readUntil} return a last, unterminated line
 * or record, then {@code null}; {@code readExact} throws {@link PrematureEofException} with the
 * bytes that came; the stream returns -1. A reset is {@link ConnectionResetException}. On a closed
 * socket every call throws {@link SocketClosedException} (buffered bytes are not served).
 *
 * <p>Caveats: one coro at a time (a second gets {@link SimultaneousUseException}, as on the socket);
 * once a socket has a reader, its own {@code recv} methods bypass the reader's buffer, so read through
 * the reader only. {@code readLine} charsets must encode {@code '\n'} and {@code '\r'} as the single
 * bytes 10 and 13 (UTF-8, ISO-8859-1, US-ASCII and the like; not UTF-16): the line end is found in
 * the bytes before decoding. Malformed input decodes to U+FFFD, as {@code new String(bytes, charset)}.
 */
public final class CoroSocketReader {
    /** The {@code maxLine} of {@link CoroSocket#reader()}. */
    public static final int DEFAULT_MAX_LINE = 8192;
    /** The largest {@code maxLine} accepted (the buffer is an array). */
    public static final int MAX_MAX_LINE = 1 << 30;
    /** The buffer's room beyond {@code maxLine}; also the longest delimiter {@link #readUntil} accepts. */
    static final int CHUNK = 8192;
    /** The buffer's first size: most lines are short, and an idle connection should cost little. */
    static final int INITIAL = 2048;
    /** Below this much free room at the end, the unread bytes move to the front before a read. */
    private static final int MIN_READ = 512;
    private static final byte[] EMPTY = new byte[0];
    private static final byte[] NEWLINE = {'\n'};
    private static final int EOF = -1, TOO_LONG = -2;

    private final CoroSocket socket;
    private final int maxLine;
    private final int maxBuffer;
    private byte[] buf = EMPTY;
    /** Wraps {@link #buf}; the socket reads into it at {@code [lim, buf.length)}. */
    private ByteBuffer view = ByteBuffer.wrap(EMPTY);
    /** The unread bytes are {@code buf[pos, lim)}. */
    private int pos, lim;
    private boolean eof;
    private Coro<?> user;
    private String userOp;
    private InputStream in;

    CoroSocketReader(CoroSocket socket, int maxLine) {
        if (maxLine < 1 || maxLine > MAX_MAX_LINE) {
            throw new IllegalArgumentException("maxLine must be in 1.." + MAX_MAX_LINE + " bytes, got " + maxLine);
        }
        this.socket = socket;
        this.maxLine = maxLine;
        this.maxBuffer = maxLine + CHUNK;
    }

    /** The longest line or record accepted, in bytes, its line end or delimiter not counted. */
    public int maxLine() {
        return maxLine;
    }

    /** The socket this reads from. */
    public CoroSocket socket() {
        return socket;
    }

    /** How many bytes are buffered: what the next calls can return without reading the socket. */
    public int buffered() {
        return lim - pos;
    }

    // ---------------------------------------------------------------- lines and records

    /** {@link #readLine(Charset)} in UTF-8. */
    public String readLine() throws IOException {
        return readLine(StandardCharsets.UTF_8);
    }

    /**
     * The next line, decoded with {@code charset}, without its line end ({@code "\n"} or
     * {@code "\r\n"}; a lone {@code '\r'} is part of the line); at the end of the stream the last
     * line if it has no line end, then {@code null}. Waits as needed.
     *
     * @throws LineTooLongException if the line is longer than {@code maxLine} bytes (they stay buffered)
     * @throws IllegalArgumentException if {@code charset} does not encode {@code '\r'} and {@code '\n'} as single bytes
     */
    public String readLine(Charset charset) throws IOException {
        Objects.requireNonNull(charset, "readLine charset");
        requireAsciiLineEnds(charset);
        enter("readLine");
        try {
            // A "\r\n" line may take maxLine + 2 bytes; a "\n" one over maxLine is caught below.
            int n = scan(NEWLINE, maxLine + 2, "readLine");
            int len;
            if (n == EOF) {
                if (pos == lim) {
                    return null;
                }
                len = n = lim - pos; // the last line, unterminated
                if (len > maxLine) {
                    throw tooLong("readLine", "no line end");
                }
            } else if (n == TOO_LONG) {
                throw tooLong("readLine", "no line end");
            } else {
                len = n - 1;
                if (len > 0 && buf[pos + len - 1] == '\r') {
                    len--;
                }
                if (len > maxLine) {
                    throw tooLong("readLine", "no line end");
                }
            }
            String line = new String(buf, pos, len, charset);
            pos += n;
            return line;
        } finally {
            exit();
        }
    }

    /**
     * The bytes up to and including the next {@code delimiter}; at the end of the stream the last
     * bytes if they have no delimiter (a caller that needs to know checks the end), then
     * {@code null}. Waits as needed. {@code delimiter} is copied, not kept.
     *
     * @throws LineTooLongException if more than {@code maxLine} bytes come before the delimiter (they stay buffered)
     * @throws IllegalArgumentException if {@code delimiter} is empty or longer than {@value #CHUNK} bytes
     */
    public byte[] readUntil(byte[] delimiter) throws IOException {
        Objects.requireNonNull(delimiter, "readUntil delimiter");
        if (delimiter.length == 0 || delimiter.length > CHUNK) {
            throw new IllegalArgumentException("readUntil delimiter must be 1.." + CHUNK + " bytes, got "
                    + delimiter.length);
        }
        enter("readUntil");
        try {
            int n = scan(delimiter, maxLine + delimiter.length, "readUntil");
            if (n == EOF) {
                if (pos == lim) {
                    return null;
                }
                n = lim - pos; // the last record, unterminated
                if (n > maxLine) {
                    throw tooLong("readUntil", "no delimiter");
                }
            } else if (n == TOO_LONG) {
                throw tooLong("readUntil", "no delimiter");
            }
            byte[] out = Arrays.copyOfRange(buf, pos, pos + n);
            pos += n;
            return out;
        } finally {
            exit();
        }
    }

    /**
     * Finds {@code d} among the unread bytes, reading more as needed, with the whole delimiter within
     * the first {@code window} unread bytes: returns the count up to and including it, {@link #EOF} if
     * the stream ended first, {@link #TOO_LONG} if {@code window} bytes came without it. Every byte is
     * looked at once, however the reads split them.
     */
    private int scan(byte[] d, int window, String op) throws IOException {
        int from = 0; // where the search resumes, relative to pos (pos moves when the buffer is compacted)
        while (true) {
            int avail = lim - pos;
            int end = pos + Math.min(avail, window);
            int i = indexOf(buf, pos + from, end, d);
            if (i >= 0) {
                return i - pos + d.length;
            }
            if (avail >= window) {
                return TOO_LONG;
            }
            from = Math.max(0, avail - d.length + 1);
            if (fill(op, avail + 1) < 0) {
                return EOF;
            }
        }
    }

    /** The first index in {@code [from, end - d.length]} where {@code d} starts, or -1. */
    private static int indexOf(byte[] a, int from, int end, byte[] d) {
        byte first = d[0];
        int last = end - d.length;
        outer:
        for (int i = from; i <= last; i++) {
            if (a[i] != first) {
                continue;
            }
            for (int j = 1; j < d.length; j++) {
                if (a[i + j] != d[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private LineTooLongException tooLong(String op, String what) {
        return new LineTooLongException(op + " on " + socket + ": " + what + " within " + maxLine
                + " bytes (the reader's maxLine); the bytes stay buffered", maxLine);
    }

    // ---------------------------------------------------------------- exact counts

    /**
     * Exactly {@code n} bytes, waiting as needed; a stream that ends first is a
     * {@link PrematureEofException} carrying the bytes that came (they are consumed).
     */
    public byte[] readExact(int n) throws IOException {
        if (n < 0) {
            throw new IllegalArgumentException("readExact size must not be negative, got " + n);
        }
        enter("readExact");
        try {
            if (n <= maxBuffer) {
                while (lim - pos < n) {
                    if (fill("readExact", n) < 0) {
                        throw premature(n, Arrays.copyOfRange(buf, pos, lim));
                    }
                }
                byte[] out = Arrays.copyOfRange(buf, pos, pos + n);
                pos += n;
                return out;
            }
            return readLarge(n);
        } finally {
            exit();
        }
    }

    /** More than the buffer may hold: straight into the result; on any failure the result becomes the buffer. */
    private byte[] readLarge(int n) throws IOException {
        byte[] out = new byte[n];
        int got = lim - pos;
        System.arraycopy(buf, pos, out, 0, got);
        try {
            while (got < n) {
                int r = eof ? -1 : socket.recvInto(ByteBuffer.wrap(out, got, n - got));
                if (r < 0) {
                    eof = true;
                    pos = lim = 0;
                    throw premature(n, Arrays.copyOf(out, got));
                }
                got += r;
            }
        } catch (PrematureEofException e) {
            throw e;
        } catch (Throwable t) {
            // A timeout, interrupt, close or reset: what came stays readable (bounded by n, which the caller asked for).
            setBuffer(out);
            pos = 0;
            lim = got;
            throw t;
        }
        pos = lim = 0;
        return out;
    }

    private PrematureEofException premature(int n, byte[] received) {
        pos = lim;
        return new PrematureEofException("readExact(" + n + ") on " + socket, n, received);
    }

    // ---------------------------------------------------------------- the buffer

    /**
     * Reads once from the socket into the buffer, first making room for at least {@code need} unread
     * bytes in all (at most {@link #maxBuffer}) and one more; returns the count, or -1 at the end of
     * the stream. Nothing changes before the read succeeds except where the unread bytes sit, so a
     * timeout or interrupt in the wait loses nothing.
     */
    private int fill(String op, int need) throws IOException {
        if (eof) {
            return -1;
        }
        int unread = lim - pos;
        if (unread == 0) {
            pos = lim = 0;
            if (buf.length > maxBuffer) {
                setBuffer(new byte[INITIAL]); // drop the array a failed large readExact left behind
            }
        }
        int cap = buf.length;
        if (cap - lim < MIN_READ || cap - pos < need) {
            int want = Math.max(need, unread + MIN_READ);
            if (want > cap && cap < maxBuffer) {
                byte[] bigger = new byte[(int) Math.min(maxBuffer, Math.max(Math.max(2L * cap, want), INITIAL))];
                System.arraycopy(buf, pos, bigger, 0, unread);
                setBuffer(bigger);
                pos = 0;
                lim = unread;
            } else if (pos > 0) {
                System.arraycopy(buf, pos, buf, 0, unread);
                pos = 0;
                lim = unread;
            }
        }
        if (lim == buf.length) {
            throw new IllegalStateException("reader buffer full (" + buf.length + " bytes) in " + op + ": a bug");
        }
        view.limit(buf.length).position(lim);
        int r = socket.recvInto(view);
        if (r < 0) {
            eof = true;
            return -1;
        }
        lim += r;
        return r;
    }

    private void setBuffer(byte[] b) {
        buf = b;
        view = ByteBuffer.wrap(b);
    }

    // ---------------------------------------------------------------- one user at a time

    private void enter(String op) throws SocketClosedException {
        Coro<?> self = socket.caller(op);
        socket.requireOpen(op);
        if (user != null) {
            throw new SimultaneousUseException("coro #" + self.id() + " '" + self.name() + "' cannot " + op
                    + " through the reader of " + socket + ": coro #" + user.id() + " '" + user.name()
                    + "' is reading through it (in " + userOp + "); a socket has one reader at a time");
        }
        user = self;
        userOp = op;
    }

    private void exit() {
        user = null;
        userOp = null;
    }

    private static void requireAsciiLineEnds(Charset cs) {
        if (cs == StandardCharsets.UTF_8 || cs == StandardCharsets.ISO_8859_1 || cs == StandardCharsets.US_ASCII) {
            return;
        }
        if (!Arrays.equals("\r\n".getBytes(cs), new byte[]{'\r', '\n'})) {
            throw new IllegalArgumentException("readLine cannot decode " + cs + ": it does not encode '\\r' and '\\n'"
                    + " as the single bytes 13 and 10 (use UTF-8, ISO-8859-1 or US-ASCII, or read bytes"
                    + " with readUntil and decode them)");
        }
    }

    // ---------------------------------------------------------------- InputStream

    /**
     * This reader as an {@code InputStream}, sharing its buffer (so it mixes with
     * {@link #readLine} and the others). {@code read} waits, suspending only the calling coro, until
     * at least one byte is there, and returns -1 at the end of the stream; {@code read(b, off, 0)}
     * returns 0 without reading; a read of at least {@value #CHUNK} bytes with nothing buffered goes
     * straight into the caller's array. {@code available()} is the buffered count. {@code close()}
     * closes the socket, as {@code Socket.getInputStream().close()} does (use
     * {@link CoroSocket#shutdownInput} to stop reading only).
     */
    public InputStream inputStream() {
        InputStream s = in;
        if (s == null) {
            s = new Stream();
            in = s;
        }
        return s;
    }

    private final class Stream extends InputStream {
        @Override
        public int read() throws IOException {
            enter("read");
            try {
                if (pos == lim && fill("read", 1) < 0) {
                    return -1;
                }
                return buf[pos++] & 0xff;
            } finally {
                exit();
            }
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            Objects.requireNonNull(b, "read buffer");
            Objects.checkFromIndexSize(off, len, b.length);
            if (len == 0) {
                return 0;
            }
            enter("read");
            try {
                if (pos == lim) {
                    if (eof) {
                        return -1;
                    }
                    if (len >= CHUNK) { // a bulk read: no copy through the buffer
                        int r = socket.recvInto(ByteBuffer.wrap(b, off, len));
                        if (r < 0) {
                            eof = true;
                        }
                        return r;
                    }
                    if (fill("read", 1) < 0) {
                        return -1;
                    }
                }
                int n = Math.min(len, lim - pos);
                System.arraycopy(buf, pos, b, off, n);
                pos += n;
                return n;
            } finally {
                exit();
            }
        }

        /** Skips buffered bytes first; with none buffered, reads once and skips from that. */
        @Override
        public long skip(long n) throws IOException {
            if (n <= 0) {
                return 0;
            }
            enter("skip");
            try {
                if (pos == lim && fill("skip", 1) < 0) {
                    return 0;
                }
                int k = (int) Math.min(n, lim - pos);
                pos += k;
                return k;
            } finally {
                exit();
            }
        }

        @Override
        public int available() throws IOException {
            socket.requireOpen("available");
            return lim - pos;
        }

        @Override
        public void close() {
            socket.close();
        }

        @Override
        public String toString() {
            return "input stream of " + socket;
        }
    }

    @Override
    public String toString() {
        return "CoroSocketReader[" + socket + ", maxLine " + maxLine + ", " + (lim - pos) + " buffered]";
    }
}
