package dev.coro.os;

import dev.coro.Coro;
import dev.coro.CoroExecutionException;
import dev.coro.scheduler.CoroContext;
import dev.coro.scheduler.OsSupport;
import dev.coro.spi.OsEvent;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * Waits beyond sockets [shrapnel: {@code signal_handler}, {@code waitpid}, kqueue vnode events]: the
 * calling coro waits for a Unix signal, a process's exit or a change of a file, while the other
 * coros run. Every poller serves every wait: a poller that sees the event itself (kqueue:
 * {@code EVFILT_SIGNAL}, {@code EVFILT_PROC}, {@code EVFILT_VNODE}) waits for it in its own system
 * call; for any other the JDK does ({@code sun.misc.Signal}, {@link ProcessHandle#onExit()},
 * {@link java.nio.file.WatchService}) and the event comes through the scheduler's cross-thread path.
 *
 * <p>Each wait is a suspension point like a socket's: {@link Coro#withTimeout}, an interrupt or the
 * end of the run ends it, and the overloads with a {@link Duration} throw
 * {@link dev.coro.CoroTimeoutException} when it passes. However a wait ends, nothing of it is left
 * registered (no knote, watch key or waiter) — except a signal's handler, see {@link #awaitSignal}.
 * The statics throw {@link dev.coro.NotInCoroException} outside a coro.
 */
public final class OsEvents {
    private OsEvents() {
    }

    // ---------------------------------------------------------------- signals

    /**
     * Waits for the next delivery of signal {@code name} ("HUP", "SIGHUP", "USR1", "WINCH", …) and
     * returns how many deliveries the wait saw (at least 1: the OS may merge several).
     *
     * <p>The first wait for a signal installs the JVM's handler for it, for the rest of the process:
     * from then on the signal no longer has its default action (for HUP, INT and TERM: the JVM's
     * shutdown), and a delivery while no coro waits is dropped. So a server that reloads on HUP waits
     * for it in a loop.
     *
     * @throws IllegalArgumentException for a name the JDK does not know, or a signal the JVM keeps (QUIT, …)
     */
    public static int awaitSignal(String name) {
        Coro<?> self = CoroContext.self("wait for a signal");
        SignalHub.Hub hub = SignalHub.claim(name);
        if (OsSupport.waitsNatively(self, OsEvent.Signal.class)) {
            return (int) Math.min(Integer.MAX_VALUE, awaitNative(self, new OsEvent.Signal(hub.name, hub.number)));
        }
        try (SignalHub.Waiter w = hub.register()) {
            Coro.await(w.fired);
            return w.count.get();
        }
    }

    /** {@link #awaitSignal(String)} for at most {@code timeout}. */
    public static int awaitSignal(String name, Duration timeout) {
        return within(timeout, () -> awaitSignal(name));
    }

    // ---------------------------------------------------------------- process exits

    /**
     * Waits until {@code process} has exited and returns its exit value, as
     * {@link Process#exitValue()} gives it (on Unix, 128 + the signal's number for a process a signal
     * ended). At once if it has already exited.
     */
    public static int awaitExit(Process process) {
        Objects.requireNonNull(process, "process");
        Coro<?> self = CoroContext.self("wait for a process to exit");
        if (process.isAlive() && OsSupport.waitsNatively(self, OsEvent.ProcessExit.class)) {
            long status = awaitNative(self, new OsEvent.ProcessExit(process.pid()));
            if (status >= 0) {
                return exitValue(status);
            }
            // The OS had no status for us (the JDK's reaper took it first): the JDK has it.
        }
        Coro.await(process.onExit());
        return process.exitValue();
    }

    /** {@link #awaitExit(Process)} for at most {@code timeout}. */
    public static int awaitExit(Process process, Duration timeout) {
        return within(timeout, () -> awaitExit(process));
    }

    /**
     * Waits until the process {@code process} names has exited; returns its exit value where the OS
     * gives it (kqueue does, for any process; through the JDK no status is known for a handle:
     * pass the {@link Process} for a child of this JVM), else empty. At once if it is already gone.
     *
     * @throws IllegalArgumentException for the current process
     */
    public static OptionalInt awaitExit(ProcessHandle process) {
        Objects.requireNonNull(process, "process");
        if (process.equals(ProcessHandle.current())) {
            throw new IllegalArgumentException("a process cannot wait for its own exit (pid " + process.pid() + ")");
        }
        Coro<?> self = CoroContext.self("wait for a process to exit");
        if (process.isAlive() && OsSupport.waitsNatively(self, OsEvent.ProcessExit.class)) {
            long status = awaitNative(self, new OsEvent.ProcessExit(process.pid()));
            return status >= 0 ? OptionalInt.of(exitValue(status)) : OptionalInt.empty();
        }
        Coro.await(process.onExit());
        return OptionalInt.empty();
    }

    /** {@link #awaitExit(ProcessHandle)} for at most {@code timeout}. */
    public static OptionalInt awaitExit(ProcessHandle process, Duration timeout) {
        return within(timeout, () -> awaitExit(process));
    }

    /** A wait(2) status as the JDK's exit value: the exit code, or 128 + the signal that ended it. */
    static int exitValue(long status) {
        int s = (int) status;
        int signal = s & 0x7f;
        return signal == 0 ? (s >> 8) & 0xff : 0x80 + signal;
    }

    // ---------------------------------------------------------------- file changes

    /**
     * Waits until the file or directory at {@code path} changes in a way in {@code interest}, and
     * returns what happened (a non-empty subset of {@code interest}). For a directory, {@code WRITE}
     * means an entry was added, removed or renamed. Only changes after the call are seen.
     *
     * <p>Caveat: through the JDK (pollers other than kqueue) a file is watched through its directory,
     * so a rename and a delete both report {@code DELETE} and {@code RENAME} (of those asked for),
     * and {@code WRITE} and {@code ATTRIB} are told apart by the file's modification time.
     *
     * @throws NoSuchFileException if nothing is at {@code path}
     * @throws IllegalArgumentException if {@code interest} is empty
     */
    public static Set<FileChange> awaitChange(Path path, Set<FileChange> interest) throws IOException {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(interest, "interest");
        if (interest.isEmpty()) {
            throw new IllegalArgumentException("file change interest must name at least one of " + Set.of(FileChange.values()));
        }
        Coro<?> self = CoroContext.self("wait for a file to change");
        if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            throw new NoSuchFileException(path.toString(), null, "cannot wait for a change of a file that is not there");
        }
        int bits = FileChange.bits(interest);
        if (OsSupport.waitsNatively(self, OsEvent.FileChange.class)) {
            return FileChange.of((int) OsSupport.awaitEvent(self, new OsEvent.FileChange(path, bits)));
        }
        try (JdkFileWatch.Watch w = JdkFileWatch.watch(path, bits)) {
            return FileChange.of(Coro.await(w.result));
        } catch (CoroExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw e;
        }
    }

    /** {@link #awaitChange(Path, Set)} for at most {@code timeout}. */
    public static Set<FileChange> awaitChange(Path path, Set<FileChange> interest, Duration timeout) throws IOException {
        try {
            return within(timeout, () -> awaitChange(path, interest));
        } catch (CoroExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io; // withTimeout wraps checked exceptions
            }
            throw e;
        }
    }

    // ---------------------------------------------------------------- helpers

    private static long awaitNative(Coro<?> self, OsEvent event) {
        try {
            return OsSupport.awaitEvent(self, event);
        } catch (IOException e) {
            throw new UncheckedIOException("waiting for " + event + " failed", e);
        }
    }

    private static <T> T within(Duration timeout, Callable<T> body) {
        Objects.requireNonNull(timeout, "timeout");
        return Coro.withTimeout(timeout, body);
    }
}
