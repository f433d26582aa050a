package dev.coro.poll.kqueue;

import com.sun.jna.Pointer;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Each {@code struct kevent} layout against the documented ABI (FreeBSD 12 sys/event.h, macOS
 * sys/event.h): the offsets here are written out independently of {@link KeventLayout}'s, and each
 * field is checked by writing through {@link KeventArray} and reading the raw bytes where the ABI
 * puts them (and the reverse). Needs no kqueue and no shim.
 */
class KeventLayoutTest {

    /** ident, filter, flags, fflags, data, udata, ext (-1: none), size. */
    private record Abi(int ident, int filter, int flags, int fflags, int data, int udata, int ext, int size) {
    }

    private static final Abi FREEBSD_12 = new Abi(0, 8, 10, 12, 16, 24, 32, 64);
    private static final Abi MACOS_64 = new Abi(0, 8, 10, 12, 16, 24, -1, 32);

    @Test
    void freeBsdLayoutIs64BytesWithExtAt32() {
        check(KeventLayout.FREEBSD, FREEBSD_12);
        assertEquals(-11, KeventLayout.FREEBSD.evfiltUser);
        assertEquals(-4, KeventLayout.FREEBSD.evfiltVnode);
        assertEquals(-5, KeventLayout.FREEBSD.evfiltProc);
        assertEquals(-6, KeventLayout.FREEBSD.evfiltSignal);
    }

    @Test
    void macOsLayoutIs32BytesWithoutExt() {
        check(KeventLayout.MACOS, MACOS_64);
        assertEquals(-10, KeventLayout.MACOS.evfiltUser);
        assertEquals(-4, KeventLayout.MACOS.evfiltVnode);
        assertEquals(-5, KeventLayout.MACOS.evfiltProc);
        assertEquals(-6, KeventLayout.MACOS.evfiltSignal);
        try (KeventArray a = new KeventArray(KeventLayout.MACOS, 1)) {
            assertThrows(UnsupportedOperationException.class, () -> a.ext(0, 0));
        }
    }

    @Test
    void theNotesHaveTheHeadersValues() {
        // FreeBSD sys/sys/event.h and xnu bsd/sys/event.h agree on these.
        assertEquals(0x80000000, KeventLayout.NOTE_EXIT);
        assertEquals(0x04000000, KeventLayout.NOTE_EXITSTATUS); // xnu only
        assertEquals(0x01, KeventLayout.NOTE_DELETE);
        assertEquals(0x02, KeventLayout.NOTE_WRITE);
        assertEquals(0x04, KeventLayout.NOTE_EXTEND);
        assertEquals(0x08, KeventLayout.NOTE_ATTRIB);
        assertEquals(0x10, KeventLayout.NOTE_LINK);
        assertEquals(0x20, KeventLayout.NOTE_RENAME);
    }

    @Test
    void theLayoutIsChosenByOs() {
        assertEquals(KeventLayout.MACOS, KeventLayout.forOs("Mac OS X"));
        assertEquals(KeventLayout.FREEBSD, KeventLayout.forOs("FreeBSD"));
        assertEquals(KeventLayout.FREEBSD, KeventLayout.forOs("Linux")); // the shim's
    }

    private static void check(KeventLayout layout, Abi abi) {
        assertEquals(abi.size(), layout.size, layout + " sizeof(struct kevent)");
        assertEquals(abi.ext(), layout.offExt, layout + " offsetof(ext)");
        try (KeventArray a = new KeventArray(layout, 3)) {
            // Entry 1, so that a wrong stride shows too; distinct bytes in every field.
            a.put(1, 0x0102030405060708L, (short) -2, 0x8011, 0x0a0b0c0d, -0x1122334455667788L, 0x7766554433221100L);
            ByteBuffer raw = raw(a, 3 * abi.size());
            int base = abi.size();
            assertEquals(0x0102030405060708L, raw.getLong(base + abi.ident()), "ident");
            assertEquals((short) -2, raw.getShort(base + abi.filter()), "filter");
            assertEquals((short) 0x8011, raw.getShort(base + abi.flags()), "flags");
            assertEquals(0x0a0b0c0d, raw.getInt(base + abi.fflags()), "fflags");
            assertEquals(-0x1122334455667788L, raw.getLong(base + abi.data()), "data");
            assertEquals(0x7766554433221100L, raw.getLong(base + abi.udata()), "udata");
            for (int b = 0; b < base; b++) {
                assertEquals(0, raw.get(b), "entry 0 untouched at byte " + b);
                assertEquals(0, raw.get(2 * base + b), "entry 2 untouched at byte " + b);
            }
            // The reverse: raw bytes at the ABI's offsets read back through the array.
            raw.putLong(abi.ident(), 42);
            raw.putShort(abi.filter(), (short) -1);
            raw.putShort(abi.flags(), (short) 0x4000);
            raw.putInt(abi.fflags(), 104);
            raw.putLong(abi.data(), 9);
            raw.putLong(abi.udata(), -1L);
            if (abi.ext() >= 0) {
                raw.putLong(abi.ext() + 24, 77);
                assertEquals(77, a.ext(0, 3));
            }
            assertEquals(42, a.ident(0));
            assertEquals(-1, a.filter(0));
            assertEquals(0x4000, a.flags(0));
            assertEquals(0x8011, a.flags(1), "flags read unsigned");
            assertEquals(104, a.fflags(0));
            assertEquals(9, a.data(0));
            assertEquals(-1L, a.udata(0));
            assertThrows(IndexOutOfBoundsException.class, () -> a.flags(3));
        }
    }

    @Test
    void growKeepsTheEntriesAsked() {
        try (KeventArray a = new KeventArray(KeventLayout.FREEBSD, 2)) {
            a.put(0, 5, KeventLayout.EVFILT_READ, KeventLayout.EV_ADD, 0, 0, 99);
            a.put(1, 6, KeventLayout.EVFILT_WRITE, KeventLayout.EV_ADD, 0, 0, 98);
            a.grow(8, 2);
            assertEquals(8, a.capacity());
            assertEquals(5, a.ident(0));
            assertEquals(98, a.udata(1));
            assertEquals(0, a.ident(7));
        }
        assertThrows(IllegalArgumentException.class, () -> new KeventArray(KeventLayout.FREEBSD, 0));
    }

    @Test
    void timespecSplitsBelowOneSecondOfNanosAndCaps() {
        try (Timespec ts = new Timespec()) {
            ts.set(1_500_000_000L);
            assertEquals(1, ts.seconds());
            assertEquals(500_000_000L, ts.nanos());
            ts.set(999_999_999L);
            assertEquals(0, ts.seconds());
            assertEquals(999_999_999L, ts.nanos());
            ts.set(Long.MAX_VALUE);
            assertEquals(Timespec.MAX_NANOS / 1_000_000_000L, ts.seconds());
            assertEquals(0, ts.nanos());
            assertThrows(IllegalArgumentException.class, () -> ts.set(-1));
        }
    }

    private static ByteBuffer raw(KeventArray a, int bytes) {
        return new Pointer(a.address()).getByteBuffer(0, bytes).order(ByteOrder.nativeOrder());
    }
}
