package dev.coro.examples;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The request-head parser without sockets: what it accepts, what each refusal's status is, and reuse. */
class HttpRequestHeadTest {
    private static HttpRequestHead parse(String... lines) throws HttpError {
        HttpRequestHead h = new HttpRequestHead();
        for (int i = 0; i < lines.length; i++) {
            boolean done = h.line(lines[i]);
            assertEquals(i == lines.length - 1, done, "the head ends at the empty line, line " + i);
        }
        return h;
    }

    private static int status(String... lines) {
        return assertThrows(HttpError.class, () -> parse(lines)).status();
    }

    @Test
    void readsWhatFramesAndAnswersTheRequest() throws HttpError {
        HttpRequestHead h = parse("", "POST /a?b=c HTTP/1.1", "host: x", "Content-Length:  12 ", "Connection: Keep-Alive", "");
        assertEquals("POST", h.method());
        assertEquals("/a?b=c", h.target());
        assertEquals(1, h.minorVersion());
        assertEquals(12, h.contentLength());
        assertTrue(h.keepAlive());

        assertFalse(parse("GET / HTTP/1.1", "Host: x", "Connection: foo,close", "").keepAlive());
        assertFalse(parse("GET / HTTP/1.0", "").keepAlive());
        assertTrue(parse("GET / HTTP/1.0", "Connection: keep-alive", "").keepAlive());
        assertEquals(1, parse("GET / HTTP/1.9", "Host: x", "").minorVersion(), "a later 1.x is answered as 1.1");
        assertEquals(7, parse("GET / HTTP/1.1", "Host: x", "Content-Length: 7", "Content-Length: 7", "").contentLength());
    }

    @Test
    void refusesWithTheRightStatus() {
        assertEquals(400, status("GET /  HTTP/1.1"));
        assertEquals(400, status("GET / HTTP/1.1 extra"));
        assertEquals(400, status("GET / http/1.1"));
        assertEquals(400, status("G(T / HTTP/1.1"));
        assertEquals(400, status("GET /\u0001 HTTP/1.1"));
        assertEquals(400, status("GET / HTTP/1.1", " folded: line"));
        assertEquals(400, status("GET / HTTP/1.1", "Host: x", "Bad: a\rb"));
        assertEquals(400, status("GET / HTTP/1.1", "Host: x", "Content-Length: -1"));
        assertEquals(400, status("GET / HTTP/1.1", "Host: x", "Content-Length: 1, 1"));
        assertEquals(400, status("GET / HTTP/1.1", "Host: x", "Host: y", ""));
        assertEquals(400, status("GET / HTTP/1.1", "Host: x", "Transfer-Encoding: chunked", "Content-Length: 3", ""));
        assertEquals(501, status("GET / HTTP/1.1", "Host: x", "Transfer-Encoding: chunked", ""));
        assertEquals(413, status("GET / HTTP/1.1", "Host: x", "Content-Length: " + (HttpRequestHead.MAX_BODY + 1), ""));
        assertEquals(505, status("GET / HTTP/3.0"));
        assertEquals(400, status("", ""), "one empty line before the request line is ignored, not two");
    }

    @Test
    void countsFieldsAndNamesTheLineThatWasTooLong() throws HttpError {
        HttpRequestHead h = new HttpRequestHead();
        assertEquals(414, h.tooLong(10).status());
        h.line("GET / HTTP/1.1");
        assertEquals(431, h.tooLong(10).status());
        for (int i = 0; i < HttpRequestHead.MAX_HEADERS; i++) {
            h.line("X: " + i);
        }
        assertEquals(431, assertThrows(HttpError.class, () -> h.line("X: one too many")).status());
    }

    @Test
    void oneObjectServesRequestAfterRequest() throws HttpError {
        HttpRequestHead h = parse("GET / HTTP/1.0", "Connection: keep-alive", "Content-Length: 3", "");
        assertThrows(IllegalStateException.class, () -> h.line("GET / HTTP/1.1"), "reset first");
        h.reset();
        assertFalse(h.started());
        assertThrows(IllegalStateException.class, h::keepAlive, "nothing to answer before the head is complete");
        h.line("GET / HTTP/1.1");
        assertTrue(h.started());
        h.line("Host: x");
        assertTrue(h.line(""));
        assertEquals(0, h.contentLength());
        assertTrue(h.keepAlive());
    }
}
