package dev.coro.examples;

import java.nio.charset.StandardCharsets;

/**
 * A request the server refuses: its status (400, 413, 414, 431, 501, 505) and what was wrong. The
 * response says it in a short text body and closes the connection, because after a malformed head the
 * server can no longer tell where the next request would start.
 */
public final class HttpError extends Exception {
    private static final long serialVersionUID = 1L;

    private final int status;

    public HttpError(int status, String message) {
        super(message);
        if (reason(status) == null) {
            throw new IllegalArgumentException("not a status HttpError knows: " + status);
        }
        this.status = status;
    }

    public int status() {
        return status;
    }

    /** The whole response: status line, {@code Connection: close}, and the message as a text body. */
    public byte[] response() {
        byte[] body = (getMessage() + "\n").getBytes(StandardCharsets.UTF_8);
        String head = "HTTP/1.1 " + status + " " + reason(status) + "\r\nContent-Type: text/plain; charset=utf-8\r\n"
                + "Content-Length: " + body.length + "\r\nConnection: close\r\n\r\n";
        byte[] h = head.getBytes(StandardCharsets.ISO_8859_1);
        byte[] all = new byte[h.length + body.length];
        System.arraycopy(h, 0, all, 0, h.length);
        System.arraycopy(body, 0, all, h.length, body.length);
        return all;
    }

    private static String reason(int status) {
        return switch (status) {
            case 400 -> "Bad Request";
            case 413 -> "Content Too Large";
            case 414 -> "URI Too Long";
            case 431 -> "Request Header Fields Too Large";
            case 501 -> "Not Implemented";
            case 505 -> "HTTP Version Not Supported";
            default -> null;
        };
    }
}
