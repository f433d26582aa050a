package dev.coro.poll.kqueue;

/**
 * The ABI of {@code struct kevent} on one OS (64-bit only): its size, its field offsets, and the
 * constants that differ between the OSes. Pure data; {@link KeventArray} reads and writes by it.
 *
 * <pre>
 * FreeBSD 12+ (sys/event.h)                macOS (sys/event.h, 64-bit)
 *   0 uintptr_t ident                        0 uintptr_t ident
 *   8 short     filter                       8 int16_t   filter
 *  10 u_short   flags                       10 uint16_t  flags
 *  12 u_int     fflags                      12 uint32_t  fflags
 *  16 int64_t   data                        16 intptr_t  data
 *  24 void     *udata                       24 void     *udata
 *  32 uint64_t  ext[4]                      32 (end)
 *  64 (end)
 * </pre>
 *
 * The flags ({@code EV_*}), {@code NOTE_TRIGGER}, {@code NOTE_EXIT} and the vnode notes are the same
 * on both; {@code EVFILT_USER} is -11 on FreeBSD and -10 on macOS. The filters are per layout
 * although only {@code EVFILT_USER} differs today (FreeBSD sys/sys/event.h: EVFILT_VNODE -4,
 * EVFILT_PROC -5, EVFILT_SIGNAL -6, EVFILT_USER -11; xnu bsd/sys/event.h: EVFILT_VNODE -4,
 * EVFILT_PROC -5, EVFILT_SIGNAL -6, EVFILT_USER -10).
 */
enum KeventLayout {
    /** FreeBSD 12 and later (the 64-byte struct of the ino64 ABI); also the Linux test shim's. */
    FREEBSD(64, 32, -11, -4, -5, -6),
    /** macOS, 64-bit. */
    MACOS(32, -1, -10, -4, -5, -6);

    static final int OFF_IDENT = 0;
    static final int OFF_FILTER = 8;
    static final int OFF_FLAGS = 10;
    static final int OFF_FFLAGS = 12;
    static final int OFF_DATA = 16;
    static final int OFF_UDATA = 24;

    static final short EVFILT_READ = -1;
    static final short EVFILT_WRITE = -2;

    static final int EV_ADD = 0x0001;
    static final int EV_DELETE = 0x0002;
    static final int EV_ENABLE = 0x0004;
    static final int EV_DISABLE = 0x0008;
    static final int EV_ONESHOT = 0x0010;
    static final int EV_CLEAR = 0x0020;
    static final int EV_RECEIPT = 0x0040;
    static final int EV_DISPATCH = 0x0080;
    static final int EV_ERROR = 0x4000;
    static final int EV_EOF = 0x8000;

    static final int NOTE_TRIGGER = 0x0100_0000;

    /** EVFILT_PROC: the process exited (both OSes); FreeBSD then has the wait(2) status in {@code data}. */
    static final int NOTE_EXIT = 0x8000_0000;
    /**
     * EVFILT_PROC, macOS only: with {@link #NOTE_EXIT}, put the wait(2) status in {@code data} (without
     * it macOS gives none). Never on FreeBSD: there this value is {@code NOTE_REAP} (report at reap).
     */
    static final int NOTE_EXITSTATUS = 0x0400_0000;

    /** EVFILT_VNODE notes, in {@code fflags} (both OSes): unlinked. */
    static final int NOTE_DELETE = 0x0001;
    /** Written. */
    static final int NOTE_WRITE = 0x0002;
    /** Grown. */
    static final int NOTE_EXTEND = 0x0004;
    /** Attributes changed. */
    static final int NOTE_ATTRIB = 0x0008;
    /** Link count changed. */
    static final int NOTE_LINK = 0x0010;
    /** Renamed. */
    static final int NOTE_RENAME = 0x0020;

    /** {@code struct timespec} on both: {@code time_t tv_sec; long tv_nsec;}. */
    static final int TIMESPEC_SIZE = 16;

    /** {@code sizeof(struct kevent)}. */
    final int size;
    /** Offset of {@code ext[4]}, or -1 where the struct has none. */
    final int offExt;
    /** {@code EVFILT_USER}. */
    final short evfiltUser;
    /** {@code EVFILT_VNODE}: ident an fd, fflags the notes. */
    final short evfiltVnode;
    /** {@code EVFILT_PROC}: ident a pid. */
    final short evfiltProc;
    /** {@code EVFILT_SIGNAL}: ident a signal number, data the deliveries since the last report. */
    final short evfiltSignal;

    KeventLayout(int size, int offExt, int evfiltUser, int evfiltVnode, int evfiltProc, int evfiltSignal) {
        this.size = size;
        this.offExt = offExt;
        this.evfiltUser = (short) evfiltUser;
        this.evfiltVnode = (short) evfiltVnode;
        this.evfiltProc = (short) evfiltProc;
        this.evfiltSignal = (short) evfiltSignal;
    }

    /** The layout of this OS, by {@code os.name}: macOS's there, FreeBSD's elsewhere (FreeBSD, the Linux shim). */
    static KeventLayout forOs(String osName) {
        return osName.toLowerCase(java.util.Locale.ROOT).startsWith("mac") ? MACOS : FREEBSD;
    }
}
