package dev.coro.poll.kqueue;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * One off-heap {@code struct timespec} for kevent's timeout, reused. {@link #set} splits nanoseconds
 * into seconds and a {@code tv_nsec} below one second (kevent refuses 1e9 or more with EINVAL) and
 * caps the whole at {@link #MAX_NANOS}, which every kqueue accepts.
 */
final class Timespec implements AutoCloseable {
    /** About 11.6 days; macOS refuses timeouts beyond 2^31 s and some kernels overflow on far less. */
    static final long MAX_NANOS = 1_000_000L * 1_000_000_000L;

    private final Memory memory = new Memory(KeventLayout.TIMESPEC_SIZE);
    private final ByteBuffer buf = memory.getByteBuffer(0, KeventLayout.TIMESPEC_SIZE).order(ByteOrder.nativeOrder());

    /** Sets the timeout to {@code nanos} (0 or more) and returns the struct's address. */
    long set(long nanos) {
        if (nanos < 0) {
            throw new IllegalArgumentException("a timespec cannot be negative, got " + nanos + " ns");
        }
        long n = Math.min(nanos, MAX_NANOS);
        buf.putLong(0, n / 1_000_000_000L);
        buf.putLong(8, n % 1_000_000_000L);
        return Pointer.nativeValue(memory);
    }

    long seconds() {
        return buf.getLong(0);
    }

    long nanos() {
        return buf.getLong(8);
    }

    @Override
    public void close() {
        memory.close();
    }
}
