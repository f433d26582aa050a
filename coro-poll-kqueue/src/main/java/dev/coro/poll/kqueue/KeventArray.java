package dev.coro.poll.kqueue;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * An off-heap array of {@code struct kevent} in one {@link KeventLayout}, for a changelist or an
 * eventlist. Fields are read and written through a direct {@link ByteBuffer} over the same memory:
 * plain memory accesses, not one JNA call per field (a JNA call costs tens of ns).
 *
 * <p>Invariants: {@link #address()} stays valid until {@link #grow} or {@link #close}; {@link #grow}
 * keeps the entries below {@code keep}; entries are zeroed when written, so {@code ext[]} (FreeBSD)
 * is always 0 in a change. Not thread-safe: one owner (the scheduler thread), except an array that
 * is filled once and then only read by the kernel (the wake-up's trigger).
 */
final class KeventArray implements AutoCloseable {
    final KeventLayout layout;
    private Memory memory;
    private ByteBuffer buf;
    private int capacity;

    KeventArray(KeventLayout layout, int capacity) {
        if (capacity <= 0) {
            throw new IllegalArgumentException("a kevent array needs a capacity of at least 1, got " + capacity);
        }
        this.layout = layout;
        allocate(capacity);
    }

    private void allocate(int cap) {
        memory = new Memory((long) cap * layout.size);
        memory.clear();
        buf = memory.getByteBuffer(0, memory.size()).order(ByteOrder.nativeOrder());
        capacity = cap;
    }

    int capacity() {
        return capacity;
    }

    /** The array's native address, for {@code kevent}. */
    long address() {
        return Pointer.nativeValue(memory);
    }

    /** Replaces the memory by one of {@code newCapacity} entries, copying the first {@code keep}. */
    void grow(int newCapacity, int keep) {
        if (newCapacity <= capacity) {
            return;
        }
        Memory old = memory;
        ByteBuffer oldBuf = buf;
        allocate(newCapacity);
        buf.put(0, oldBuf, 0, keep * layout.size);
        old.close();
    }

    /** Writes entry {@code i} (the other fields, {@code ext[]} included, are zero). */
    void put(int i, long ident, short filter, int flags, int fflags, long data, long udata) {
        int o = offset(i);
        for (int b = 0; b < layout.size; b += 8) {
            buf.putLong(o + b, 0);
        }
        buf.putLong(o + KeventLayout.OFF_IDENT, ident);
        buf.putShort(o + KeventLayout.OFF_FILTER, filter);
        buf.putShort(o + KeventLayout.OFF_FLAGS, (short) flags);
        buf.putInt(o + KeventLayout.OFF_FFLAGS, fflags);
        buf.putLong(o + KeventLayout.OFF_DATA, data);
        buf.putLong(o + KeventLayout.OFF_UDATA, udata);
    }

    long ident(int i) {
        return buf.getLong(offset(i) + KeventLayout.OFF_IDENT);
    }

    short filter(int i) {
        return buf.getShort(offset(i) + KeventLayout.OFF_FILTER);
    }

    /** {@code flags} as an unsigned 16-bit value. */
    int flags(int i) {
        return Short.toUnsignedInt(buf.getShort(offset(i) + KeventLayout.OFF_FLAGS));
    }

    int fflags(int i) {
        return buf.getInt(offset(i) + KeventLayout.OFF_FFLAGS);
    }

    long data(int i) {
        return buf.getLong(offset(i) + KeventLayout.OFF_DATA);
    }

    long udata(int i) {
        return buf.getLong(offset(i) + KeventLayout.OFF_UDATA);
    }

    /** {@code ext[k]} (FreeBSD only). */
    long ext(int i, int k) {
        if (layout.offExt < 0) {
            throw new UnsupportedOperationException(layout + " struct kevent has no ext[]");
        }
        return buf.getLong(offset(i) + layout.offExt + 8 * k);
    }

    private int offset(int i) {
        if (i < 0 || i >= capacity) {
            throw new IndexOutOfBoundsException("kevent " + i + " of an array of " + capacity);
        }
        return i * layout.size;
    }

    @Override
    public void close() {
        if (memory != null) {
            memory.close();
            memory = null;
            buf = null;
        }
    }
}
