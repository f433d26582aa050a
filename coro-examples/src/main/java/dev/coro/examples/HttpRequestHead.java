package dev.coro.examples;

/**
 * The head of one HTTP/1.x request (RFC 9112), fed line by line: the caller reads lines (without
 * their line end) from whatever buffered reader it has, and {@link #line} says when the empty line
 * ended the head. It keeps only what a server needs to frame the next request and to answer this one:
 * method, target, version, whether the connection stays open, and the body's length. It never buffers
 * a line itself, so what bounds the head is the caller's line limit times {@link #MAX_HEADERS}.
 *
 * <p>Strict where a lax parser would let two parties frame the same bytes differently (request
 * smuggling): whitespace before a field's colon, obsolete line folding, a bare CR or other control
 * characters, a malformed or ambiguous {@code Content-Length}, and an HTTP/1.1 request without exactly
 * one {@code Host} are all 400. {@code Transfer-Encoding} (a chunked body) is 501: this server reads
 * only bodies of a stated length. One object serves a whole connection ({@link #reset} before each
 * request), so a request costs no parser allocation beyond its lines.
 */
public final class HttpRequestHead {
    /** The most header fields a request may have; one more is 431. */
    public static final int MAX_HEADERS = 100;
    /** The largest body accepted (and discarded) by the hello server; a longer one is 413. */
    public static final long MAX_BODY = 64 * 1024;

    private enum State { START, HEADERS, DONE }

    private State state;
    private boolean skippedEmptyLine;
    private String method;
    private String target;
    private int minor;
    private int headers;
    private int hosts;
    private boolean close;
    private boolean keepAliveToken;
    private boolean transferEncoding;
    private long contentLength;

    public HttpRequestHead() {
        reset();
    }

    /** Forgets the last request: the next {@link #line} is a request line again. */
    public void reset() {
        state = State.START;
        skippedEmptyLine = false;
        method = target = null;
        minor = headers = hosts = 0;
        close = keepAliveToken = transferEncoding = false;
        contentLength = -1;
    }

    /** Whether a line of this request came already: an end of the stream now cuts a request short. */
    public boolean started() {
        return state != State.START || skippedEmptyLine;
    }

    /**
     * Takes the next line of the head, without its line end; returns true once it was the empty line
     * that ends the head (then the accessors answer).
     *
     * @throws HttpError if the line makes the request malformed (400), too big (413, 431) or unsupported (501, 505)
     */
    public boolean line(String line) throws HttpError {
        switch (state) {
            case START -> {
                // RFC 9112 §2.2: a server SHOULD ignore at least one empty line before the request line
                // (clients that end a POST body with an extra CRLF); one, so an idle stream of them cannot loop here.
                if (line.isEmpty() && !skippedEmptyLine) {
                    skippedEmptyLine = true;
                    return false;
                }
                requestLine(line);
                state = State.HEADERS;
                return false;
            }
            case HEADERS -> {
                if (line.isEmpty()) {
                    finish();
                    state = State.DONE;
                    return true;
                }
                field(line);
                return false;
            }
            default -> throw new IllegalStateException("the head is complete: reset() before the next request");
        }
    }

    /** The error for a line over the reader's limit here: 414 for the request line, 431 for a header field. */
    public HttpError tooLong(int maxLine) {
        return state == State.START
                ? new HttpError(414, "the request line is longer than " + maxLine + " bytes")
                : new HttpError(431, "a header field is longer than " + maxLine + " bytes");
    }

    public String method() {
        requireDone();
        return method;
    }

    public String target() {
        requireDone();
        return target;
    }

    /** 0 for HTTP/1.0, 1 for HTTP/1.1 (a higher 1.x is answered as 1.1, RFC 9110 §6.2). */
    public int minorVersion() {
        requireDone();
        return minor;
    }

    /** Whether the connection stays open after the response: HTTP/1.1 unless {@code close}; HTTP/1.0 only with {@code keep-alive}. */
    public boolean keepAlive() {
        requireDone();
        return !close && (minor >= 1 || keepAliveToken);
    }

    /** The body's length in bytes (0 without {@code Content-Length}). */
    public long contentLength() {
        requireDone();
        return Math.max(0, contentLength);
    }

    private void requestLine(String line) throws HttpError {
        int sp1 = line.indexOf(' ');
        int sp2 = sp1 < 0 ? -1 : line.indexOf(' ', sp1 + 1);
        if (sp1 <= 0 || sp2 < 0 || sp2 == sp1 + 1 || line.indexOf(' ', sp2 + 1) >= 0) {
            throw new HttpError(400, "the request line is not 'method target version': " + quote(line));
        }
        method = line.substring(0, sp1);
        if (!isToken(method, 0, method.length())) {
            throw new HttpError(400, "not a method: " + quote(method));
        }
        for (int i = sp1 + 1; i < sp2; i++) {
            char c = line.charAt(i);
            if (c <= ' ' || c >= 0x7f) {
                throw new HttpError(400, "a control, space or non-ASCII character in the target: " + quote(line));
            }
        }
        target = line.substring(sp1 + 1, sp2);
        // HTTP-version = "HTTP/" DIGIT "." DIGIT (RFC 9112 §2.3), case-sensitive
        int v = sp2 + 1;
        if (line.length() - v != 8 || !line.startsWith("HTTP/", v) || !isDigit(line.charAt(v + 5))
                || line.charAt(v + 6) != '.' || !isDigit(line.charAt(v + 7))) {
            throw new HttpError(400, "not an HTTP version: " + quote(line.substring(v)));
        }
        if (line.charAt(v + 5) != '1') {
            throw new HttpError(505, "this server speaks HTTP/1.x, not " + line.substring(v));
        }
        minor = Math.min(1, line.charAt(v + 7) - '0'); // a later 1.x is answered as 1.1
    }

    private void field(String line) throws HttpError {
        if (++headers > MAX_HEADERS) {
            throw new HttpError(431, "more than " + MAX_HEADERS + " header fields");
        }
        int colon = line.indexOf(':');
        if (colon <= 0 || !isToken(line, 0, colon)) {
            // also a line that starts with whitespace: obsolete line folding (RFC 9112 §5.2), and "Name :"
            throw new HttpError(400, "not a header field 'name: value': " + quote(line));
        }
        int start = colon + 1;
        int end = line.length();
        while (start < end && isOws(line.charAt(start))) {
            start++;
        }
        while (end > start && isOws(line.charAt(end - 1))) {
            end--;
        }
        for (int i = start; i < end; i++) {
            char c = line.charAt(i);
            if ((c < ' ' && c != '\t') || c == 0x7f) {
                throw new HttpError(400, "a control character in the value of " + line.substring(0, colon));
            }
        }
        String name = line.substring(0, colon);
        if (name.equalsIgnoreCase("Host")) {
            hosts++;
        } else if (name.equalsIgnoreCase("Connection")) {
            connection(line, start, end);
        } else if (name.equalsIgnoreCase("Content-Length")) {
            contentLength(line.substring(start, end));
        } else if (name.equalsIgnoreCase("Transfer-Encoding")) {
            transferEncoding = true;
        }
    }

    /** The comma-separated options of {@code Connection}: {@code close} and {@code keep-alive} count. */
    private void connection(String line, int start, int end) {
        int i = start;
        while (i < end) {
            int comma = line.indexOf(',', i);
            int stop = comma < 0 || comma > end ? end : comma;
            int a = i;
            int b = stop;
            while (a < b && isOws(line.charAt(a))) {
                a++;
            }
            while (b > a && isOws(line.charAt(b - 1))) {
                b--;
            }
            if (line.regionMatches(true, a, "close", 0, 5) && b - a == 5) {
                close = true;
            } else if (line.regionMatches(true, a, "keep-alive", 0, 10) && b - a == 10) {
                keepAliveToken = true;
            }
            i = stop + 1;
        }
    }

    private void contentLength(String value) throws HttpError {
        if (value.isEmpty() || value.length() > 18 || !value.chars().allMatch(HttpRequestHead::isDigit)) {
            throw new HttpError(400, "not a Content-Length: " + quote(value));
        }
        long n = Long.parseLong(value);
        if (contentLength >= 0 && contentLength != n) { // two lengths: which one frames the body?
            throw new HttpError(400, "two different Content-Length fields");
        }
        contentLength = n;
    }

    private void finish() throws HttpError {
        if (transferEncoding && contentLength >= 0) {
            throw new HttpError(400, "both Transfer-Encoding and Content-Length"); // RFC 9112 §6.1: a smuggling attempt
        }
        if (transferEncoding) {
            throw new HttpError(501, "Transfer-Encoding is not supported here; send a Content-Length");
        }
        if (minor >= 1 ? hosts != 1 : hosts > 1) { // RFC 9112 §3.2
            throw new HttpError(400, hosts == 0 ? "an HTTP/1.1 request without Host" : "more than one Host field");
        }
        if (contentLength > MAX_BODY) {
            throw new HttpError(413, "a body of " + contentLength + " bytes; at most " + MAX_BODY + " are accepted");
        }
    }

    private void requireDone() {
        if (state != State.DONE) {
            throw new IllegalStateException("the request head is not complete yet");
        }
    }

    private static boolean isToken(String s, int from, int to) {
        if (from >= to) {
            return false;
        }
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || isDigit(c) || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    private static boolean isDigit(int c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isOws(char c) {
        return c == ' ' || c == '\t';
    }

    /** For a message: at most 60 characters, controls shown as escapes, so a hostile line cannot forge log or response lines. */
    private static String quote(String s) {
        StringBuilder b = new StringBuilder("'");
        for (int i = 0; i < s.length() && i < 60; i++) {
            char c = s.charAt(i);
            b.append(c < ' ' || c >= 0x7f ? String.format("\\x%02x", (int) c) : String.valueOf(c));
        }
        return b.append(s.length() > 60 ? "...'" : "'").toString();
    }
}
