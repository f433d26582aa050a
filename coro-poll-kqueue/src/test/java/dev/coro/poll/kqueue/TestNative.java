package dev.coro.poll.kqueue;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;

/**
 * What the tests call natively besides the binding: the shim's counters and signal helpers, and a
 * few libc functions (direct mapping, as the binding).
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

        /** Installs an SA_SIGINFO handler counting the deliveries whose siginfo names {@code sig}. */
        static native int kqshim_install_counting_handler(int sig);

        static native long kqshim_counted(int sig);
    }

    /** libc. */
    /** Linux's libc only (the shim's EINTR test): thread-directed signals. */
    static final class LinuxLibC {
        static {
            Native.register(LinuxLibC.class, NativeLibrary.getInstance("c"));
        }

        static native int gettid();

        static native int tgkill(int tgid, int tid, int sig);
    }

    /** What every libc here has (Linux, FreeBSD, macOS). */
    static final class LibC {
        static {
            Native.register(LibC.class, NativeLibrary.getInstance("c"));
        }

        static native int dup2(int oldfd, int newfd);

        static native int open(String path, int flags);

        static native int close(int fd);

        static native int getpid();

        static native int kill(int pid, int sig);

        /** Sends {@code sig} to the calling thread; a handler has run when it returns. */
        static native int raise(int sig);

        /**
         * {@code posix_spawn(pid, path, NULL, NULL, argv, envp)}: a child the JVM does not know of, so
         * its reaper thread never reaps it. Returns 0 or an error number.
         */
        static native int posix_spawn(int[] pid, String path, Pointer fileActions, Pointer attr, Pointer argv,
                Pointer envp);

        static native int waitpid(int pid, int[] status, int options);
    }
}
