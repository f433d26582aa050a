package dev.coro.poll.kqueue;

import com.sun.jna.StringArray;
import dev.coro.tck.FdLeakCheck;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.Pipe;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import static dev.coro.poll.kqueue.KeventLayout.EV_ADD;
import static dev.coro.poll.kqueue.KeventLayout.EV_CLEAR;
import static dev.coro.poll.kqueue.KeventLayout.EV_DELETE;
import static dev.coro.poll.kqueue.KeventLayout.EV_DISABLE;
import static dev.coro.poll.kqueue.KeventLayout.EV_ENABLE;
import static dev.coro.poll.kqueue.KeventLayout.EV_EOF;
import static dev.coro.poll.kqueue.KeventLayout.EV_ERROR;
import static dev.coro.poll.kqueue.KeventLayout.EV_ONESHOT;
import static dev.coro.poll.kqueue.KeventLayout.EV_RECEIPT;
import static dev.coro.poll.kqueue.KeventLayout.NOTE_ATTRIB;
import static dev.coro.poll.kqueue.KeventLayout.NOTE_DELETE;
import static dev.coro.poll.kqueue.KeventLayout.NOTE_EXIT;
import static dev.coro.poll.kqueue.KeventLayout.NOTE_EXITSTATUS;
import static dev.coro.poll.kqueue.KeventLayout.NOTE_EXTEND;
import static dev.coro.poll.kqueue.KeventLayout.NOTE_LINK;
import static dev.coro.poll.kqueue.KeventLayout.NOTE_RENAME;
import static dev.coro.poll.kqueue.KeventLayout.NOTE_WRITE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * EVFILT_SIGNAL, EVFILT_PROC (NOTE_EXIT) and EVFILT_VNODE through the binding: against the Linux
 * shim here, against the kernel on FreeBSD (tests of the shim's own helpers or divergences are
 * skipped there). Every wait is bounded and returns as soon as its event is there; nothing sleeps.
 *
 * <p>Signals are ones the JVM leaves alone and whose default action is to ignore them: SIGURG for
 * most tests, SIGWINCH for the chaining test (which installs its own handler first: the shim's next
 * EV_ADD for the signal finds its handler replaced and installs it again, chaining to that one, so
 * the order of the tests that touch SIGWINCH does not matter). They are raised in the test's own
 * thread, whose handler has run when raise() returns, except where the process is signalled.
 */
@ExtendWith(FdLeakCheck.class)
class ShimEventsTest {
    private static final long BOUND = TimeUnit.SECONDS.toNanos(10);
    private static final boolean LINUX = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux");
    private static final int SIGKILL = 9;
    private static final int SIGURG = LINUX ? 23 : 16;
    private static final int SIGWINCH = 28;
    private static final int ENOENT = 2, ESRCH = 3, EBADF = 9, EINVAL = 22;
    private static final int ALL_NOTES = NOTE_DELETE | NOTE_WRITE | NOTE_EXTEND | NOTE_ATTRIB | NOTE_LINK | NOTE_RENAME;
    /** macOS gives the status in data only when asked; FreeBSD always (and there 0x04000000 is NOTE_REAP). */
    private static final int EXIT_NOTES = KqueueNative.LAYOUT == KeventLayout.MACOS ? NOTE_EXIT | NOTE_EXITSTATUS : NOTE_EXIT;
    private static final short SIGNAL = KqueueNative.LAYOUT.evfiltSignal;
    private static final short PROC = KqueueNative.LAYOUT.evfiltProc;
    private static final short VNODE = KqueueNative.LAYOUT.evfiltVnode;

    private int kq;
    private KeventArray ch, ev;
    private Timespec ts;
    private final List<Integer> fdsToClose = new ArrayList<>();

    @TempDir
    Path dir;

    /**
     * The shim keeps one eventfd for signal knotes for the life of the process (as it keeps its
     * handlers); it is made here, by a first signal knote, before FdLeakCheck counts the fds.
     */
    @BeforeAll
    static void makeTheShimsSignalEventfd() throws IOException {
        KqueueShim.require();
        int k = KqueueNative.newKqueue();
        try (KeventArray a = new KeventArray(KqueueNative.LAYOUT, 1)) {
            a.put(0, SIGURG, SIGNAL, EV_ADD, 0, 0, 0);
            assertEquals(0, KqueueNative.kevent(k, a.address(), 1, 0, 0, 0), "watching SIGURG");
        } finally {
            KqueueNative.close(k);
        }
    }

    @BeforeEach
    void open() throws IOException {
        KqueueShim.require();
        kq = KqueueNative.newKqueue();
        ch = new KeventArray(KqueueNative.LAYOUT, 8);
        ev = new KeventArray(KqueueNative.LAYOUT, 8);
        ts = new Timespec();
    }

    @AfterEach
    void close() {
        for (int fd : fdsToClose) {
            TestNative.LibC.close(fd);
        }
        assertEquals(0, KqueueNative.close(kq), "close(kq)");
        ch.close();
        ev.close();
        ts.close();
    }

    private int call(int nchanges, long timeoutNanos) throws IOException {
        return KqueueNative.kevent(kq, ch, nchanges, ev, ts, timeoutNanos);
    }

    private static void raise(int sig) {
        assertEquals(0, TestNative.LibC.raise(sig), "raise(" + sig + ")");
    }

    private void assertReceipt(int i, long udata) {
        assertEquals(EV_ERROR, ev.flags(i) & EV_ERROR, "entry " + i + " is an EV_ERROR entry (a receipt)");
        assertEquals(0, ev.data(i), "entry " + i + ": the change succeeded");
        assertEquals(udata, ev.udata(i), "entry " + i + " echoes its change");
    }

    private void assertError(int i, int errno, String what) {
        assertEquals(EV_ERROR, ev.flags(i) & EV_ERROR, what + ": an EV_ERROR entry");
        assertEquals(errno, ev.data(i), what + ": data is the errno");
    }

    // ------------------------------------------------------------------ EVFILT_SIGNAL

    @Test
    void aSignalIsCountedAndTheHandlerItReplacedStillRunsWithItsSiginfo() throws IOException {
        assumeTrue(KqueueShim.isShim(), "the previous handler is the shim's test helper");
        assertEquals(0, TestNative.Shim.kqshim_install_counting_handler(SIGWINCH));
        ch.put(0, SIGWINCH, SIGNAL, EV_ADD | EV_RECEIPT, 0, 0, 21);
        assertEquals(1, call(1, 0));
        assertReceipt(0, 21);
        long before = TestNative.Shim.kqshim_counted(SIGWINCH);
        raise(SIGWINCH);
        assertEquals(1, TestNative.Shim.kqshim_counted(SIGWINCH) - before,
                "the handler the shim replaced ran once, given a siginfo that names the signal");
        assertEquals(1, call(0, BOUND), "the delivery is reported");
        assertEquals(SIGWINCH, ev.ident(0));
        assertEquals(SIGNAL, ev.filter(0));
        assertEquals(1, ev.data(0), "deliveries since the add");
        assertEquals(21, ev.udata(0));
        assertEquals(EV_CLEAR, ev.flags(0) & EV_CLEAR, "EV_CLEAR is set automatically, as on FreeBSD");
        assertEquals(0, call(0, 0), "cleared by its report");
    }

    @Test
    void deliveriesBetweenTwoReportsCoalesceIntoOneEventCountingThem() throws IOException {
        ch.put(0, SIGURG, SIGNAL, EV_ADD, 0, 0, 3);
        assertEquals(0, call(1, 0), "nothing delivered since the add");
        raise(SIGURG);
        raise(SIGURG);
        raise(SIGURG);
        assertEquals(1, call(0, BOUND), "one event for three deliveries");
        assertEquals(3, ev.data(0), "data counts the deliveries");
        assertEquals(3, ev.udata(0));
        assertEquals(0, call(0, 0));
        raise(SIGURG);
        assertEquals(1, call(0, BOUND));
        assertEquals(1, ev.data(0), "counted from the last report");
    }

    @Test
    void twoKqueuesBothSeeOneSignalSentToTheProcess() throws IOException {
        int kq2 = KqueueNative.newKqueue();
        try (KeventArray ev2 = new KeventArray(KqueueNative.LAYOUT, 4); Timespec ts2 = new Timespec()) {
            ch.put(0, SIGURG, SIGNAL, EV_ADD, 0, 0, 1);
            assertEquals(0, call(1, 0));
            ch.put(0, SIGURG, SIGNAL, EV_ADD, 0, 0, 2);
            assertEquals(0, KqueueNative.kevent(kq2, ch, 1, ev2, ts2, 0));
            // To the process: any thread may run the handler, at any time; the waits wake for it.
            assertEquals(0, TestNative.LibC.kill(TestNative.LibC.getpid(), SIGURG));
            assertEquals(1, call(0, BOUND), "the first kqueue");
            assertEquals(1, ev.data(0));
            assertEquals(1, ev.udata(0));
            assertEquals(1, KqueueNative.kevent(kq2, null, 0, ev2, ts2, BOUND), "the second kqueue as well");
            assertEquals(1, ev2.data(0));
            assertEquals(2, ev2.udata(0));
            assertEquals(SIGURG, ev2.ident(0));
            assertEquals(0, call(0, 0));
            assertEquals(0, KqueueNative.kevent(kq2, null, 0, ev2, ts2, 0));
        } finally {
            assertEquals(0, KqueueNative.close(kq2));
        }
    }

    @Test
    void aDisabledSignalKnoteCountsForItsEnableAndADeletedOneReportsNothing() throws IOException {
        ch.put(0, SIGURG, SIGNAL, EV_ADD | EV_DISABLE, 0, 0, 4);
        assertEquals(0, call(1, 0));
        raise(SIGURG);
        assertEquals(0, call(0, 0), "disabled");
        ch.put(0, SIGURG, SIGNAL, EV_ENABLE, 0, 0, 0);
        assertEquals(1, call(1, BOUND), "enabled: the delivery while disabled is reported");
        assertEquals(1, ev.data(0));
        assertEquals(4, ev.udata(0));
        raise(SIGURG);
        ch.put(0, SIGURG, SIGNAL, EV_DELETE, 0, 0, 0);
        assertEquals(0, call(1, 0), "deleted: its pending delivery went with it");
        ch.put(0, SIGURG, SIGNAL, EV_DELETE, 0, 0, 0);
        assertEquals(1, call(1, 0));
        assertError(0, ENOENT, "deleting again");
    }

    @Test
    void aOneShotSignalKnoteFiresOnce() throws IOException {
        ch.put(0, SIGURG, SIGNAL, EV_ADD | EV_ONESHOT, 0, 0, 5);
        assertEquals(0, call(1, 0));
        raise(SIGURG);
        assertEquals(1, call(0, BOUND));
        assertEquals(EV_ONESHOT, ev.flags(0) & EV_ONESHOT);
        assertEquals(5, ev.udata(0));
        raise(SIGURG);
        assertEquals(0, call(0, 0), "one-shot: gone after its report");
        ch.put(0, SIGURG, SIGNAL, EV_DELETE, 0, 0, 0);
        assertEquals(1, call(1, 0));
        assertError(0, ENOENT, "deleting the fired one-shot");
    }

    @Test
    void signalsTheShimCannotCatchAreEinval() throws IOException {
        assumeTrue(KqueueShim.isShim(), "FreeBSD accepts these (it does not intercept the signal)");
        ch.put(0, SIGKILL, SIGNAL, EV_ADD, 0, 0, 1);
        ch.put(1, 0, SIGNAL, EV_ADD, 0, 0, 2);
        ch.put(2, 65, SIGNAL, EV_ADD, 0, 0, 3);
        assertEquals(3, call(3, 0));
        assertError(0, EINVAL, "SIGKILL");
        assertError(1, EINVAL, "signal 0");
        assertError(2, EINVAL, "signal 65");
    }

    // ------------------------------------------------------------------ EVFILT_PROC

    @Test
    void aJvmChildsExitIsReportedOnceWithItsStatusOrMinusOneWhenTheJvmReapedItFirst() throws Exception {
        // The child waits for its stdin to close, so that it is surely alive when the knote is added.
        Process p = new ProcessBuilder("/bin/sh", "-c", "read x; exit 7")
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        int pid = (int) p.pid();
        try {
            ch.put(0, pid, PROC, EV_ADD | EV_RECEIPT, EXIT_NOTES, 0, 31);
            assertEquals(1, call(1, 0));
            assertReceipt(0, 31);
            assertEquals(0, call(0, 0), "still running");
            p.getOutputStream().close();
            assertEquals(1, call(0, BOUND), "the exit is reported");
            assertEquals(pid, ev.ident(0));
            assertEquals(PROC, ev.filter(0));
            assertEquals(31, ev.udata(0));
            assertEquals(NOTE_EXIT, ev.fflags(0) & NOTE_EXIT);
            assertEquals(EV_EOF, ev.flags(0) & EV_EOF, "EV_EOF: the process is gone");
            long status = ev.data(0);
            // The JVM's reaper thread reaps its child as soon as it exits: the shim, which never
            // reaps, has the status only when its waitid came first; else -1, its "unknown".
            assertTrue(status == 7 << 8 || (KqueueShim.isShim() && status == -1),
                    "data is the wait(2) status of exit 7 (0x700), or -1 if the JVM reaped the child first: " + status);
            assertEquals(0, call(0, 0), "reported once");
            ch.put(0, pid, PROC, EV_DELETE, 0, 0, 0);
            assertEquals(1, call(1, 0));
            assertError(0, ENOENT, "the knote went with the process's exit");
        } finally {
            p.destroyForcibly();
            assertTrue(p.waitFor(BOUND, TimeUnit.NANOSECONDS), "the child ended");
        }
        assertEquals(7, p.exitValue(), "the shim did not reap the child from the JVM");
    }

    @Test
    void theStatusOfAnUnreapedChildIsThereAndStaysForItsParentToReap() throws IOException {
        // posix_spawn, not ProcessBuilder: the JVM's reaper does not know these children.
        String[] scripts = {"exit 7", "kill -9 $$"};
        int[] statuses = {7 << 8, 9};
        for (int i = 0; i < scripts.length; i++) {
            int pid = spawn(scripts[i]);
            try {
                // One call adds the knote and waits; the child may already be a zombie, or not yet.
                ch.put(0, pid, PROC, EV_ADD, EXIT_NOTES, 0, 40 + i);
                assertEquals(1, call(1, BOUND), scripts[i] + ": the exit is reported");
                assertEquals(pid, ev.ident(0));
                assertEquals(40 + i, ev.udata(0));
                assertEquals(EV_EOF, ev.flags(0) & EV_EOF);
                assertEquals(statuses[i], ev.data(0), scripts[i] + ": data is the wait(2) status");
            } finally {
                int[] status = {-1};
                assertEquals(pid, TestNative.LibC.waitpid(pid, status, 0), "the child was left for its parent to reap");
                assertEquals(statuses[i], status[0], scripts[i] + ": the status waitpid got");
            }
        }
    }

    @Test
    void aPidThatDoesNotExistIsEsrch() throws IOException {
        int pid = spawn("exit 0");
        int[] status = {-1};
        assertEquals(pid, TestNative.LibC.waitpid(pid, status, 0));
        // Reaped: the pid names no process (pids are handed out cyclically, so it is not reused
        // in the time between).
        ch.put(0, pid, PROC, EV_ADD, EXIT_NOTES, 0, 9);
        assertEquals(1, call(1, BOUND));
        assertError(0, ESRCH, "a reaped child");
        assertEquals(9, ev.udata(0));
    }

    @Test
    void aDeletedProcKnoteReportsNothingAndADisabledOneReportsAtItsEnable() throws Exception {
        Process a = blockedChild();
        Process b = blockedChild();
        try {
            ch.put(0, a.pid(), PROC, EV_ADD, EXIT_NOTES, 0, 1);
            ch.put(1, b.pid(), PROC, EV_ADD | EV_DISABLE, EXIT_NOTES, 0, 2);
            ch.put(2, a.pid(), PROC, EV_DELETE, 0, 0, 0);
            assertEquals(0, call(3, 0));
            a.getOutputStream().close();
            b.getOutputStream().close();
            assertTrue(a.waitFor(BOUND, TimeUnit.NANOSECONDS) && b.waitFor(BOUND, TimeUnit.NANOSECONDS), "the children ended");
            assertEquals(0, call(0, 0), "a: deleted; b: disabled");
            ch.put(0, b.pid(), PROC, EV_ENABLE, 0, 0, 0);
            assertEquals(1, call(1, BOUND), "b, enabled");
            assertEquals(b.pid(), ev.ident(0));
            assertEquals(2, ev.udata(0));
            // The JVM's waitFor returned: the child was reaped, its status is gone (FreeBSD kept it).
            assertEquals(KqueueShim.isShim() ? -1 : 5 << 8, ev.data(0), "data of a reaped child");
        } finally {
            a.destroyForcibly().waitFor();
            b.destroyForcibly().waitFor();
        }
    }

    private static Process blockedChild() throws IOException {
        return new ProcessBuilder("/bin/sh", "-c", "read x; exit 5")
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    }

    /** A child by posix_spawn (inheriting the JVM's fds without FD_CLOEXEC), with no environment. */
    private static int spawn(String script) {
        int[] pid = {0};
        StringArray argv = new StringArray(new String[]{"/bin/sh", "-c", script});
        StringArray envp = new StringArray(new String[0]);
        try {
            assertEquals(0, TestNative.LibC.posix_spawn(pid, "/bin/sh", null, null, argv, envp), "posix_spawn");
        } finally {
            argv.close();
            envp.close();
        }
        return pid[0];
    }

    // ------------------------------------------------------------------ EVFILT_VNODE

    private int openFd(Path p) {
        int fd = TestNative.LibC.open(p.toString(), 0); // O_RDONLY, also for a directory
        assertTrue(fd >= 0, "open " + p);
        fdsToClose.add(fd);
        return fd;
    }

    private void expectNotes(int fd, long udata, int notes, String what) throws IOException {
        assertEquals(1, call(0, BOUND), what + ": one event");
        assertEquals(fd, ev.ident(0), what);
        assertEquals(VNODE, ev.filter(0), what);
        assertEquals(udata, ev.udata(0), what);
        assertEquals(names(notes), names(ev.fflags(0)), what + ": fflags");
    }

    private static String names(int fflags) {
        String[] names = {"NOTE_DELETE", "NOTE_WRITE", "NOTE_EXTEND", "NOTE_ATTRIB", "NOTE_LINK", "NOTE_RENAME"};
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 32; i++) {
            if ((fflags & (1 << i)) != 0) {
                b.append(b.isEmpty() ? "" : "|").append(i < names.length ? names[i] : "0x" + Integer.toHexString(1 << i));
            }
        }
        return b.isEmpty() ? "0" : b.toString();
    }

    private static void append(Path p, String s) throws IOException {
        Files.writeString(p, s, StandardOpenOption.APPEND);
    }

    @Test
    void aFileWrittenExtendedAttributedRenamedLinkedAndDeletedReportsEachNote() throws IOException {
        Path f = Files.writeString(dir.resolve("a"), "abc");
        int fd = openFd(f);
        ch.put(0, fd, VNODE, EV_ADD | EV_CLEAR | EV_RECEIPT, ALL_NOTES, 0, 41);
        assertEquals(1, call(1, 0));
        assertReceipt(0, 41);
        assertEquals(0, call(0, 0), "nothing happened yet");
        try (FileChannel w = FileChannel.open(f, StandardOpenOption.WRITE)) {
            w.write(ByteBuffer.wrap("xyz".getBytes(StandardCharsets.US_ASCII)), 3);
            expectNotes(fd, 41, NOTE_WRITE | NOTE_EXTEND, "written past its end");
            w.write(ByteBuffer.wrap("Q".getBytes(StandardCharsets.US_ASCII)), 0);
            expectNotes(fd, 41, NOTE_WRITE, "overwritten within");
        }
        Files.setLastModifiedTime(f, FileTime.fromMillis(1_000_000_000_000L));
        expectNotes(fd, 41, NOTE_ATTRIB, "its mtime set");
        Path g = Files.move(f, dir.resolve("b"));
        expectNotes(fd, 41, NOTE_RENAME, "renamed");
        Path h = Files.createLink(dir.resolve("c"), g);
        expectNotes(fd, 41, NOTE_LINK, "linked");
        Files.delete(h);
        expectNotes(fd, 41, NOTE_DELETE, "one of its two names unlinked");
        Files.delete(g);
        expectNotes(fd, 41, NOTE_DELETE, "its last name unlinked");
        assertEquals(0, call(0, 0), "EV_CLEAR: each note reported once");
    }

    @Test
    void aDirectoryGainingOrLosingAnEntryIsWrittenButAnEntrysOwnWriteIsNot() throws IOException {
        int fd = openFd(dir);
        ch.put(0, fd, VNODE, EV_ADD | EV_CLEAR, NOTE_WRITE, 0, 42);
        assertEquals(0, call(1, 0));
        Path e = Files.writeString(dir.resolve("entry"), "1");
        expectNotes(fd, 42, NOTE_WRITE, "an entry created");
        append(e, "2");
        assertEquals(0, call(0, 0), "an entry's own write is not the directory's");
        Path moved = Files.move(e, dir.resolve("moved"));
        expectNotes(fd, 42, NOTE_WRITE, "an entry renamed");
        Files.createDirectory(dir.resolve("sub"));
        expectNotes(fd, 42, NOTE_WRITE, "a subdirectory made");
        Files.delete(moved);
        expectNotes(fd, 42, NOTE_WRITE, "an entry deleted");
    }

    @Test
    void onlyTheNotesAskedForAreReported() throws IOException {
        Path f = Files.writeString(dir.resolve("a"), "abc");
        int fd = openFd(f);
        ch.put(0, fd, VNODE, EV_ADD | EV_CLEAR, NOTE_DELETE, 0, 43);
        assertEquals(0, call(1, 0));
        append(f, "more");
        Files.setLastModifiedTime(f, FileTime.fromMillis(1_000_000_000_000L));
        assertEquals(0, call(0, 0), "written and its mtime set: not asked for");
        Files.delete(f);
        expectNotes(fd, 43, NOTE_DELETE, "unlinked");
    }

    @Test
    void withoutEvClearAVnodeKnoteIsReportedByEveryCallUntilDeleted() throws IOException {
        Path f = Files.writeString(dir.resolve("a"), "abc");
        int fd = openFd(f);
        ch.put(0, fd, VNODE, EV_ADD, NOTE_WRITE, 0, 44);
        assertEquals(0, call(1, 0));
        append(f, "d");
        expectNotes(fd, 44, NOTE_WRITE, "written");
        expectNotes(fd, 44, NOTE_WRITE, "again: the notes stay without EV_CLEAR, as on FreeBSD");
        append(f, "e");
        expectNotes(fd, 44, NOTE_WRITE, "written again while its notes stay: one event, not one per write");
        ch.put(0, fd, VNODE, EV_DELETE, 0, 0, 0);
        assertEquals(0, call(1, 0), "deleted");
    }

    @Test
    void aDisabledVnodeKnoteKeepsItsNotesForItsEnable() throws IOException {
        Path f = Files.writeString(dir.resolve("a"), "abc");
        int fd = openFd(f);
        ch.put(0, fd, VNODE, EV_ADD | EV_CLEAR | EV_DISABLE, NOTE_WRITE | NOTE_ATTRIB, 0, 45);
        assertEquals(0, call(1, 0));
        append(f, "d");
        Files.setLastModifiedTime(f, FileTime.fromMillis(1_000_000_000_000L));
        assertEquals(0, call(0, 0), "disabled");
        ch.put(0, fd, VNODE, EV_ENABLE, 0, 0, 0);
        assertEquals(1, call(1, BOUND), "enabled");
        assertEquals(names(NOTE_WRITE | NOTE_ATTRIB), names(ev.fflags(0)), "what happened while disabled");
        assertEquals(45, ev.udata(0));
        assertEquals(0, call(0, 0));
    }

    @Test
    void aOneShotVnodeKnoteFiresOnce() throws IOException {
        Path f = Files.writeString(dir.resolve("a"), "abc");
        int fd = openFd(f);
        ch.put(0, fd, VNODE, EV_ADD | EV_ONESHOT, NOTE_WRITE, 0, 46);
        assertEquals(0, call(1, 0));
        append(f, "d");
        expectNotes(fd, 46, NOTE_WRITE, "written");
        assertEquals(EV_ONESHOT, ev.flags(0) & EV_ONESHOT);
        append(f, "e");
        assertEquals(0, call(0, 0), "one-shot: gone after its report");
        ch.put(0, fd, VNODE, EV_DELETE, 0, 0, 0);
        assertEquals(1, call(1, 0));
        assertError(0, ENOENT, "deleting the fired one-shot");
    }

    @Test
    void aVnodeKnoteGoesWithItsFd() throws IOException {
        Path f = Files.writeString(dir.resolve("a"), "abc");
        int fd = TestNative.LibC.open(f.toString(), 0);
        assertTrue(fd >= 0);
        ch.put(0, fd, VNODE, EV_ADD | EV_CLEAR, NOTE_WRITE, 0, 47);
        assertEquals(0, call(1, 0));
        assertEquals(0, TestNative.LibC.close(fd));
        append(f, "d");
        assertEquals(0, call(0, 0), "its fd was closed: the knote went with it");
    }

    @Test
    void aVnodeKnoteOfAClosedFdWhoseNumberNowNamesAnotherFileIsNotThatFilesAndLeavesTheOthersAlone() throws IOException {
        Path f1 = Files.writeString(dir.resolve("1"), "1");
        Path f2 = Files.writeString(dir.resolve("2"), "2");
        Path f3 = Files.writeString(dir.resolve("3"), "3");
        int a = openFd(f1);
        int b = openFd(f2);
        ch.put(0, a, VNODE, EV_ADD | EV_CLEAR, NOTE_WRITE, 0, 1);
        ch.put(1, b, VNODE, EV_ADD | EV_CLEAR, NOTE_WRITE, 0, 2);
        assertEquals(0, call(2, 0));
        // b's number now names f3, as if b had been closed and the number handed out again.
        int c = TestNative.LibC.open(f3.toString(), 0);
        assertTrue(c >= 0);
        assertEquals(b, TestNative.LibC.dup2(c, b));
        assertEquals(0, TestNative.LibC.close(c));
        ch.put(0, b, VNODE, EV_ADD | EV_CLEAR, NOTE_WRITE, 0, 3);
        assertEquals(0, call(1, 0));
        append(f2, "x");
        assertEquals(0, call(0, 0), "f2's knote went with the fd that named it");
        append(f3, "x");
        expectNotes(b, 3, NOTE_WRITE, "the new knote of the number is f3's");
        append(f1, "x");
        expectNotes(a, 1, NOTE_WRITE, "the other fd's knote is untouched");
    }

    @Test
    void aVnodeKnoteNeedsTheFdOfAFileOrDirectory() throws IOException {
        Pipe p = Pipe.open();
        int closed = ((sun.nio.ch.SelChImpl) p.source()).getFDVal();
        p.source().close(); // nothing opens an fd before its use (one test at a time)
        try {
            ch.put(0, closed, VNODE, EV_ADD, NOTE_WRITE, 0, 1);
            ch.put(1, ((sun.nio.ch.SelChImpl) p.sink()).getFDVal(), VNODE, EV_ADD, NOTE_WRITE, 0, 2);
            assertEquals(2, call(2, 0));
            assertError(0, EBADF, "a closed fd");
            assertError(1, EINVAL, "a pipe");
            assertEquals(2, ev.udata(1));
        } finally {
            p.sink().close();
        }
        if (KqueueShim.isShim()) {
            Path f = Files.writeString(dir.resolve("a"), "abc");
            ch.put(0, openFd(f), VNODE, EV_ADD, 0x40, 0, 3);
            assertEquals(1, call(1, 0));
            assertError(0, EINVAL, "NOTE_REVOKE: not emulated");
        }
    }

    // ------------------------------------------------------------------ their fds

    @Test
    void closingTheKqueueReleasesItsKnotesFds() throws Exception {
        assumeTrue(KqueueShim.isShim(), "counts the shim's own fds");
        Path f = Files.writeString(dir.resolve("a"), "abc");
        int fd = openFd(f);
        Process child = blockedChild();
        int kq2 = KqueueNative.newKqueue();
        try {
            Set<String> before = FdLeakCheck.openFds();
            ch.put(0, fd, VNODE, EV_ADD, NOTE_WRITE, 0, 1);
            ch.put(1, child.pid(), PROC, EV_ADD, NOTE_EXIT, 0, 2);
            ch.put(2, SIGURG, SIGNAL, EV_ADD, 0, 0, 3);
            assertEquals(0, KqueueNative.kevent(kq2, ch, 3, ev, ts, 0));
            Set<String> added = new TreeSet<>(FdLeakCheck.openFds());
            added.removeAll(before);
            assertEquals(2, added.size(), "an inotify fd and a pidfd: " + added);
            assertTrue(added.stream().anyMatch(s -> s.contains("inotify")), "an inotify fd: " + added);
            assertTrue(added.stream().anyMatch(s -> s.contains("pidfd")), "a pidfd: " + added);
            Set<String> expected = new TreeSet<>(before);
            String kq2Entry = kq2 + " -> ";
            expected.removeIf(e -> e.startsWith(kq2Entry));
            assertEquals(0, KqueueNative.close(kq2));
            kq2 = -1;
            assertEquals(expected, FdLeakCheck.openFds(), "close(kq) closed them (and the kqueue's own fd)");
        } finally {
            if (kq2 >= 0) {
                KqueueNative.close(kq2);
            }
            child.getOutputStream().close();
            assertTrue(child.waitFor(BOUND, TimeUnit.NANOSECONDS));
        }
    }
}
