package dev.coro.poll.kqueue;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;

/**
 * What the tests call natively besides the binding: the shim's counters and EINTR helper, and a few
 * libc functions (direct mapping, as the binding).
 */
final class TestNative {
    private TestNative() {
    }

    /** The shim's exports for tests. */
    static final class Shim {
        static {
            KqueueShim.require();
            Native.register(Shim.class, NativeLibrary.getInstance(KqueueShim.library().toString(),
                    java.util.Map.of(com.sun.jna.Library.OPTION_OPEN_FLAGS, 2)));
        }

        static native long kqshim_changes_applied();

        static native long kqshim_kevent_calls();

        static native int kqshim_install_noop_handler(int sig);
    }

    /** libc. */
    static final class LibC {
        static {
            Native.register(LibC.class, NativeLibrary.getInstance("c"));
        }

        static native int gettid();

        static native int tgkill(int tgid, int tid, int sig);

        static native int dup2(int oldfd, int newfd);

        static native int open(String path, int flags);

        static native int close(int fd);
    }
}
