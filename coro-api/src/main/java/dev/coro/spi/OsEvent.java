package dev.coro.spi;

import java.nio.file.Path;
import java.util.Objects;

/**
 * An operating-system event other than socket readiness that a coro can wait for (SPEC.md
 * §4 "Waits beyond sockets"): a signal, a process's exit, a change of a file or directory. A
 * {@link Poller} that {@linkplain Poller#waitsNatively waits for a kind natively} is handed these by
 * {@link Poller#register(OsEvent, Object)} and reports each with {@link Poller.ReadySink#fired}, whose
 * {@code data} is described per kind below; the scheduler serves every other kind through the JDK.
 */
public sealed interface OsEvent {

    /**
     * The next delivery of signal {@code number} ({@code name} as the JDK's {@code sun.misc.Signal}
     * knows it: "HUP", "USR1", …). Reported data: how many deliveries were seen (at least 1).
     */
    record Signal(String name, int number) implements OsEvent {
        public Signal {
            Objects.requireNonNull(name, "name");
            if (number <= 0) {
                throw new IllegalArgumentException("signal number must be positive, got " + number);
            }
        }
    }

    /**
     * The exit of process {@code pid}. Reported data: its wait(2) status if the OS gave it, else -1.
     * A process already gone (reaped, or never there) is reported at once with -1.
     */
    record ProcessExit(long pid) implements OsEvent {
        public ProcessExit {
            if (pid <= 0) {
                throw new IllegalArgumentException("pid must be positive, got " + pid);
            }
        }
    }

    /**
     * A change of the file or directory at {@code path} of a kind in {@code interest} (bits below).
     * Reported data: the bits of what happened (within {@code interest}, never 0).
     */
    record FileChange(Path path, int interest) implements OsEvent {
        /** The file's contents were written (for a directory: an entry was added, removed or renamed). */
        public static final int WRITE = 1;
        /** The file grew. */
        public static final int EXTEND = 1 << 1;
        /** Its attributes (mode, owner, times, link count) changed. */
        public static final int ATTRIB = 1 << 2;
        /** It was renamed (moved). */
        public static final int RENAME = 1 << 3;
        /** It was deleted. */
        public static final int DELETE = 1 << 4;
        public static final int ALL = WRITE | EXTEND | ATTRIB | RENAME | DELETE;

        public FileChange {
            Objects.requireNonNull(path, "path");
            if (interest == 0 || (interest & ~ALL) != 0) {
                throw new IllegalArgumentException("file change interest must be a non-empty set of WRITE, EXTEND, "
                        + "ATTRIB, RENAME, DELETE bits, got " + interest);
            }
        }
    }
}
