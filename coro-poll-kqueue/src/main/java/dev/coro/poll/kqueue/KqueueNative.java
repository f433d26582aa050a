package dev.coro.poll.kqueue;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * The JNA binding: {@code kqueue}, {@code kevent}, {@code close}, {@code open} and {@code strerror} by direct
 * mapping ({@link Native#register}, no interface proxy), from libc on FreeBSD and macOS, or from the
 * library named by {@value #LIBRARY_PROPERTY} (the Linux test shim, or any library with the FreeBSD
 * ABI). Pointers are passed as raw addresses ({@code long}): no {@code Pointer} per call.
 *
 * <p>Invariants: the class binds once, in its initializer; when that is impossible
 * {@link #unavailableReason()} says why and no native method may be called. {@code kevent} is an
 * ordinary (blocking-capable) call: never to be made a JNA/FFM "critical"/trivial call, since it
 * waits. {@link #kevent(int, KeventArray, int, KeventArray, Timespec, long)} is the one call of a
 * loop iteration: it retries {@code EINTR} with the remaining timeout and without the changelist,
 * which kevent(2) says was applied.
 */
final class KqueueNative {
    /** The path (or name) of the library to bind instead of libc: on Linux, the test shim. */
    static final String LIBRARY_PROPERTY = "coro.kqueue.library";

    static final int EINTR = 4;
    static final int EBADF = 9;
    static final int ENOENT = 2;

    /** The layout of struct kevent here. */
    static final KeventLayout LAYOUT = KeventLayout.forOs(System.getProperty("os.name", ""));

    private static final String UNAVAILABLE = bind();

    private KqueueNative() {
    }

    static native int kqueue();

    /** {@code kevent(kq, changelist, nchanges, eventlist, nevents, timeout)}; addresses may be 0 (NULL). */
    static native int kevent(int kq, long changelist, int nchanges, long eventlist, int nevents, long timeout);

    static native int close(int fd);

    static native String strerror(int errnum);

    /** {@code open(path, flags)}: the fd of a file or directory for {@code EVFILT_VNODE}. */
    static native int open(String path, int flags);

    /** Empty when bound; else why kqueue cannot be used in this JVM. */
    static java.util.Optional<String> unavailableReason() {
        return java.util.Optional.ofNullable(UNAVAILABLE);
    }

    private static String bind() {
        String os = System.getProperty("os.name", "?");
        String lower = os.toLowerCase(Locale.ROOT);
        if (!"64".equals(System.getProperty("sun.arch.data.model", "64"))) {
            return "poller kqueue supports 64-bit JVMs only (this one is " + System.getProperty("sun.arch.data.model")
                    + "-bit)";
        }
        String lib = System.getProperty(LIBRARY_PROPERTY);
        boolean hasKqueue = lower.contains("freebsd") || lower.startsWith("mac") || lower.contains("darwin");
        Map<String, Object> options = Map.of();
        if (lib == null) {
            if (!hasKqueue) {
                return "kqueue needs FreeBSD or macOS (this is " + os + "), or the test shim: -D" + LIBRARY_PROPERTY
                        + "=/path/to/libkqueue-shim.so (see coro-poll-kqueue/README.md)";
            }
            lib = "c";
        } else {
            if (lib.contains("/") && !Files.isReadable(Path.of(lib))) {
                return "-D" + LIBRARY_PROPERTY + "=" + lib + " names no readable file";
            }
            if (lower.contains("linux")) {
                // RTLD_NOW | RTLD_LOCAL (Linux values): the shim's close() must serve this binding only.
                options = Map.of(Library.OPTION_OPEN_FLAGS, 2);
            }
        }
        try {
            Native.register(KqueueNative.class, NativeLibrary.getInstance(lib, options));
            return null;
        } catch (LinkageError | RuntimeException e) {
            return "cannot bind kqueue/kevent/close from " + (lib.equals("c") ? "libc" : lib) + ": " + e;
        }
    }

    /** A new kqueue's fd. */
    static int newKqueue() throws IOException {
        int kq = kqueue();
        if (kq < 0) {
            throw error("kqueue()", Native.getLastError());
        }
        return kq;
    }

    /**
     * One {@code kevent} call: submits {@code nchanges} of {@code changes} and waits at most
     * {@code timeoutNanos} (negative: no bound; 0: not at all) for up to {@code events.capacity()}
     * events. On EINTR it calls again with the time left and no changes. Returns the count of
     * entries in {@code events}.
     */
    static int kevent(int kq, KeventArray changes, int nchanges, KeventArray events, Timespec ts, long timeoutNanos)
            throws IOException {
        long deadline = timeoutNanos > 0 ? System.nanoTime() + timeoutNanos : 0;
        long changeList = changes == null ? 0 : changes.address();
        int n = nchanges;
        long left = timeoutNanos;
        while (true) {
            long tsAddr = left < 0 ? 0 : ts.set(left);
            int r = kevent(kq, changeList, n, events.address(), events.capacity(), tsAddr);
            if (r >= 0) {
                return r;
            }
            int errno = Native.getLastError();
            if (errno != EINTR) {
                throw error("kevent()", errno);
            }
            eintrRetries++;
            n = 0; // kevent(2): on EINTR the changelist has been applied
            if (timeoutNanos > 0) {
                left = Math.max(0, deadline - System.nanoTime());
            }
        }
    }

    /** EINTRs retried since class load (read by the tests; written by scheduler threads only). */
    static volatile long eintrRetries;

    /** {@code errno} as its C name where known, and its message from this libc. */
    static String describe(int errno) {
        String name = switch (errno) {
            case 1 -> "EPERM";
            case ENOENT -> "ENOENT";
            case EINTR -> "EINTR";
            case EBADF -> "EBADF";
            case 12 -> "ENOMEM";
            case 22 -> "EINVAL";
            default -> "errno " + errno;
        };
        String msg;
        try {
            msg = strerror(errno);
        } catch (RuntimeException | LinkageError e) {
            msg = null;
        }
        return msg == null ? name : name + " (" + msg + ")";
    }

    /**
     * An fd of {@code path} (file or directory) for {@code EVFILT_VNODE}, close-on-exec: opened for
     * events only on macOS ({@code O_EVTONLY}: it does not keep a volume busy), read-only elsewhere.
     */
    static int openForEvents(java.nio.file.Path path) throws IOException {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        int flags = os.startsWith("mac") ? 0x8000 | 0x0100_0000  // O_EVTONLY | O_CLOEXEC
                : os.contains("linux") ? 0x8_0000                // O_RDONLY | O_CLOEXEC (the shim)
                : 0x10_0000;                                      // FreeBSD: O_RDONLY | O_CLOEXEC
        int fd = open(path.toString(), flags);
        if (fd < 0) {
            int errno = Native.getLastError();
            if (errno == ENOENT) {
                throw new java.nio.file.NoSuchFileException(path.toString(), null, "cannot watch it: it is not there");
            }
            throw new IOException("open(" + path + ") for EVFILT_VNODE failed: " + describe(errno));
        }
        return fd;
    }

    /** This libc's message for {@code errno} ("Connection reset by peer"), as the JDK's exceptions carry it. */
    static String message(int errno) {
        try {
            String m = strerror(errno);
            return m != null ? m : "errno " + errno;
        } catch (RuntimeException | LinkageError e) {
            return "errno " + errno;
        }
    }

    /** errno numbers that differ between Linux (the shim) and the BSDs: ECONNREFUSED, ETIMEDOUT, ENOTCONN, EHOSTUNREACH. */
    private static final int[] CONNECT_ERRNOS = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux")
            ? new int[]{111, 110, 107, 113} : new int[]{61, 60, 57, 65};

    /**
     * A socket's error (EV_EOF's {@code fflags}) as the JDK raises it from the call that meets it
     * (as its {@code Net.c} maps errnos): {@code ConnectException} for a refused, timed-out or
     * unconnected socket, {@code NoRouteToHostException} for an unreachable host, else a
     * {@code SocketException}; each with the OS's message, so a reset reads "Connection reset by peer".
     */
    static IOException socketError(int errno) {
        String m = message(errno);
        if (errno == CONNECT_ERRNOS[0] || errno == CONNECT_ERRNOS[1] || errno == CONNECT_ERRNOS[2]) {
            return new java.net.ConnectException(m);
        }
        if (errno == CONNECT_ERRNOS[3]) {
            return new java.net.NoRouteToHostException(m);
        }
        return new java.net.SocketException(m);
    }

    static IOException error(String call, int errno) {
        return new IOException(call + " failed: " + describe(errno));
    }
}
