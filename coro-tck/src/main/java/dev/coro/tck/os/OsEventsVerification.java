package dev.coro.tck.os;

import dev.coro.Coro;
import dev.coro.CoroInterruptedException;
import dev.coro.CoroTimeoutException;
import dev.coro.NotInCoroException;
import dev.coro.Scheduler;
import dev.coro.os.FileChange;
import dev.coro.os.OsEvents;
import dev.coro.tck.Leaks;
import dev.coro.tck.scheduler.SchedulerVerificationBase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Waits beyond sockets ({@link OsEvents}; SPEC.md#os-events) on the poller of the builder under
 * test: a signal, a process's exit and a file's change each wake their waiter with what happened,
 * and a timeout or interrupt ends the wait with nothing left (no wait in {@code stats().waits()},
 * no fd, no thread). A poller that waits for these natively and one the JDK serves pass the same.
 *
 * <p>Determinism: a waiter is spawned, then the main coro yields twice (the waiter reaches its wait,
 * and the loop's poll phase after it hands a native registration to the OS) before it makes the
 * event happen, so no event can come before its wait. Processes are this JVM's children ({@code
 * kill}, {@code cat}, {@code sh}); a {@code cat} stays alive until its stdin is closed.
 *
 * <p>Rules checked ({@link dev.coro.tck.Rule}): {@code osEvents}, {@code badInput}.
 */
public abstract class OsEventsVerification extends SchedulerVerificationBase {
    /** Default action "ignore", and the JVM does not use it: safe to send to ourselves. */
    private static final String SIGNAL = "WINCH";

    @TempDir
    Path dir;
    private Leaks before;

    @BeforeEach
    void snapshot() {
        before = Leaks.snapshot();
    }

    @AfterEach
    void nothingLeft() {
        assertEquals(List.of(), before.leftSince(closeBound()), "threads or fds left behind");
    }

    /** The scheduler of the test's run. */
    private Scheduler scheduler;

    private <T> T run(Callable<T> main) {
        scheduler = builder().build();
        return runChecked(scheduler, main);
    }

    /**
     * Lets {@code waiters} spawned waiters reach their waits (counted in {@code stats().waits()}; a
     * waiter on loom may first block in a JDK call, e.g. a watch service's registration, while the
     * others run), then two passes more, so that the poll phase hands a native registration to the OS.
     */
    private void settle(int waiters) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (waits() < waiters) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError(waiters + " waiter(s) never reached their wait: " + scheduler.dump());
            }
            Coro.yieldSlice();
        }
        Coro.yieldSlice();
        Coro.yieldSlice();
    }

    private static void signalSelf() throws Exception {
        Process kill = new ProcessBuilder("kill", "-s", SIGNAL, Long.toString(ProcessHandle.current().pid()))
                .redirectInput(new File("/dev/null")).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectErrorStream(true).start();
        assertEquals(0, (int) Coro.blocking(kill::waitFor), "kill -s " + SIGNAL + " failed");
    }

    /** A child that lives until its stdin is closed, then exits 0. */
    private static Process cat() throws IOException {
        return new ProcessBuilder("cat").redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
    }

    private static int reap(Process p) throws Exception {
        p.getOutputStream().close();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "child " + p.pid() + " did not exit");
        return p.exitValue();
    }

    private int waits() {
        return scheduler.stats().waits();
    }

    // ---------------------------------------------------------------- signals

    @Test
    public void osEvents_aSignalWakesEveryCoroWaitingForIt() {
        List<Integer> counts = run(() -> {
            Coro<Integer> a = Coro.spawn("a", () -> OsEvents.awaitSignal(SIGNAL));
            Coro<Integer> b = Coro.spawn("b", () -> OsEvents.awaitSignal("SIG" + SIGNAL));
            settle(2);
            signalSelf();
            return List.of(a.join(Duration.ofSeconds(30)), b.join(Duration.ofSeconds(30)));
        });
        for (int c : counts) {
            assertTrue(c >= 1, "a woken signal wait reports at least one delivery, got " + counts);
        }
    }

    @Test
    public void osEvents_aSignalWaitEndsByItsTimeoutAndLeavesNoWait() {
        int left = run(() -> {
            assertThrows(CoroTimeoutException.class, () -> OsEvents.awaitSignal(SIGNAL, Duration.ofMillis(20)));
            return waits();
        });
        assertEquals(0, left, "waits left after a timed-out signal wait");
    }

    @Test
    public void osEvents_anInterruptEndsASignalWaitAndLeavesNoWait() {
        int left = run(() -> {
            Coro<Integer> w = Coro.spawn("w", () -> OsEvents.awaitSignal(SIGNAL));
            settle(1);
            w.interrupt("stop");
            assertThrows(CoroInterruptedException.class, w::join);
            return waits();
        });
        assertEquals(0, left, "waits left after an interrupted signal wait");
    }

    // ---------------------------------------------------------------- process exits

    @Test
    public void osEvents_aChildsExitValueIsReturned() {
        List<Integer> values = run(() -> {
            Process seven = new ProcessBuilder("sh", "-c", "exit 7").start();
            Process killed = new ProcessBuilder("sh", "-c", "kill -KILL $$").start();
            Process c = cat();
            Coro<Integer> w = Coro.spawn("w", () -> OsEvents.awaitExit(c));
            settle(1);
            c.getOutputStream().close();
            List<Integer> out = List.of(OsEvents.awaitExit(seven), OsEvents.awaitExit(killed), w.join());
            for (Process p : List.of(seven, killed, c)) {
                p.waitFor();
                p.getInputStream().close();
                p.getErrorStream().close();
                p.getOutputStream().close();
            }
            return out;
        });
        assertEquals(List.of(7, 128 + 9, 0), values, "exit values of exit 7, kill -KILL $$, and cat at end of input");
    }

    @Test
    public void osEvents_aProcessHandlesExitIsSeenWithItsStatusWhereTheOsGivesIt() throws Exception {
        Process c = cat();
        OptionalInt status = run(() -> {
            Coro<OptionalInt> w = Coro.spawn("w", () -> OsEvents.awaitExit(c.toHandle()));
            settle(1);
            c.getOutputStream().close();
            return w.join(Duration.ofSeconds(30));
        });
        assertEquals(0, reap(c));
        if (status.isPresent()) {
            assertEquals(0, status.getAsInt(), "the exit status of cat at end of input");
        }
    }

    @Test
    public void osEvents_anExitWaitEndsByItsTimeoutAndLeavesNoWait() throws Exception {
        Process c = cat();
        int left = run(() -> {
            assertThrows(CoroTimeoutException.class, () -> OsEvents.awaitExit(c, Duration.ofMillis(20)));
            assertThrows(CoroTimeoutException.class, () -> OsEvents.awaitExit(c.toHandle(), Duration.ofMillis(20)));
            return waits();
        });
        assertEquals(0, left, "waits left after timed-out exit waits");
        assertEquals(0, reap(c));
    }

    // ---------------------------------------------------------------- file changes

    private Set<FileChange> awaitChangeWhile(Path path, Set<FileChange> interest, IoAction change) {
        return run(() -> {
            Coro<Set<FileChange>> w = Coro.spawn("w", () -> OsEvents.awaitChange(path, interest));
            settle(1);
            change.run();
            return w.join(Duration.ofSeconds(30));
        });
    }

    @FunctionalInterface
    private interface IoAction {
        void run() throws IOException;
    }

    @Test
    public void osEvents_aFileWrittenToReportsWrite() throws IOException {
        Path f = Files.writeString(dir.resolve("f"), "a");
        Set<FileChange> interest = EnumSet.of(FileChange.WRITE, FileChange.EXTEND);
        Set<FileChange> got = awaitChangeWhile(f, interest,
                () -> Files.writeString(f, "bc", StandardOpenOption.APPEND));
        assertTrue(got.contains(FileChange.WRITE) && interest.containsAll(got),
                "an append reports WRITE (and maybe EXTEND), within the interest; got " + got);
    }

    @Test
    public void osEvents_aDeletedFileReportsDelete() throws IOException {
        Path f = Files.writeString(dir.resolve("f"), "a");
        assertEquals(EnumSet.of(FileChange.DELETE), awaitChangeWhile(f, EnumSet.of(FileChange.DELETE), () -> Files.delete(f)));
    }

    @Test
    public void osEvents_aRenamedFileReportsRename() throws IOException {
        Path f = Files.writeString(dir.resolve("f"), "a");
        assertEquals(EnumSet.of(FileChange.RENAME),
                awaitChangeWhile(f, EnumSet.of(FileChange.RENAME), () -> Files.move(f, dir.resolve("g"))));
    }

    @Test
    public void osEvents_aDirectoryGainingAnEntryReportsWrite() throws IOException {
        Path d = Files.createDirectory(dir.resolve("d"));
        assertEquals(EnumSet.of(FileChange.WRITE),
                awaitChangeWhile(d, EnumSet.of(FileChange.WRITE), () -> Files.writeString(d.resolve("new"), "x")));
    }

    @Test
    public void osEvents_aChangeOfNoInterestDoesNotEndTheWait() throws IOException {
        Path f = Files.writeString(dir.resolve("f"), "a");
        assertEquals(EnumSet.of(FileChange.DELETE), awaitChangeWhile(f, EnumSet.of(FileChange.DELETE), () -> {
            Files.writeString(f, "more", StandardOpenOption.APPEND);
            Files.delete(f);
        }), "the write (not asked for) must not end the wait; the delete must");
    }

    @Test
    public void osEvents_aFileWaitEndsByItsTimeoutOrInterruptAndLeavesNoWait() throws IOException {
        Path f = Files.writeString(dir.resolve("f"), "a");
        int left = run(() -> {
            assertThrows(CoroTimeoutException.class,
                    () -> OsEvents.awaitChange(f, EnumSet.allOf(FileChange.class), Duration.ofMillis(20)));
            Coro<Set<FileChange>> w = Coro.spawn("w", () -> OsEvents.awaitChange(f, EnumSet.of(FileChange.DELETE)));
            settle(1);
            w.interrupt("stop");
            assertThrows(CoroInterruptedException.class, w::join);
            return waits();
        });
        assertEquals(0, left, "waits left after a timed-out and an interrupted file wait");
    }

    // ---------------------------------------------------------------- bad input

    @Test
    public void badInput_anUnknownOrReservedSignalIsRefusedNamingIt() {
        run(() -> {
            IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class, () -> OsEvents.awaitSignal("NOPE"));
            assertTrue(unknown.getMessage().contains("NOPE"), unknown.getMessage());
            IllegalArgumentException reserved = assertThrows(IllegalArgumentException.class, () -> OsEvents.awaitSignal("QUIT"));
            assertTrue(reserved.getMessage().contains("QUIT"), reserved.getMessage());
            assertThrows(IllegalArgumentException.class, () -> OsEvents.awaitSignal(" "));
            return null;
        });
    }

    @Test
    public void badInput_aMissingFileOrAnEmptyInterestIsRefused() {
        Path missing = dir.resolve("missing");
        run(() -> {
            NoSuchFileException e = assertThrows(NoSuchFileException.class,
                    () -> OsEvents.awaitChange(missing, EnumSet.of(FileChange.WRITE)));
            assertTrue(e.getMessage().contains("missing"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> OsEvents.awaitChange(dir, EnumSet.noneOf(FileChange.class)));
            return null;
        });
    }

    @Test
    public void badInput_waitingForTheCurrentProcessOrOutsideACoroIsRefused() {
        run(() -> assertThrows(IllegalArgumentException.class, () -> OsEvents.awaitExit(ProcessHandle.current())));
        assertThrows(NotInCoroException.class, () -> OsEvents.awaitSignal(SIGNAL));
        assertThrows(NotInCoroException.class, () -> OsEvents.awaitChange(dir, EnumSet.of(FileChange.WRITE)));
    }
}
