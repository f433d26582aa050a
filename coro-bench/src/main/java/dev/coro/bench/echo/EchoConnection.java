package dev.coro.bench.echo;

import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;

/**
 * One load-generator connection and its one message in flight. The bytes of message {@code seq} on
 * connection {@code id} are a function of both ({@link #expected}), so an echo that is late, stale,
 * misrouted or corrupt never matches.
 */
final class EchoConnection {
    enum State {
        /** connect() issued, not finished. */
        CONNECTING,
        /** connected, the first echo not yet back: not open until it is. */
        CONFIRMING,
        /** open and confirmed, waiting for the ramp to end. */
        IDLE,
        /** exchanging messages. */
        RUNNING,
        CLOSED
    }

    final int id;
    final SocketChannel channel;
    final long deadline;
    SelectionKey key;
    State state = State.CONNECTING;
    long seq;
    long sentAt;
    /** Bytes of the message in flight written so far, and echoed so far. */
    int written;
    int received;
    /** Whether OP_WRITE is in the interest set (only while a write is partial). */
    boolean wantWrite;

    EchoConnection(int id, SocketChannel channel, long deadline) {
        this.id = id;
        this.channel = channel;
        this.deadline = deadline;
    }

    boolean pending() {
        return state == State.CONNECTING || state == State.CONFIRMING;
    }

    /** Byte {@code i} of message {@code seq} on connection {@code id}. */
    static byte expected(int id, long seq, int i) {
        long x = (id * 0x9E3779B97F4A7C15L) ^ (seq * 0xC2B2AE3D27D4EB4FL);
        return (byte) ((x >>> ((i & 7) << 3)) + (i >>> 3));
    }

    /** Puts bytes {@code from..size} of this connection's current message into {@code out}, flipped. */
    void fill(ByteBuffer out, int from, int size) {
        out.clear();
        for (int i = from; i < size; i++) {
            out.put(expected(id, seq, i));
        }
        out.flip();
    }
}
