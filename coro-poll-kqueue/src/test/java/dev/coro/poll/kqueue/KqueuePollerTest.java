package dev.coro.poll.kqueue;

import dev.coro.spi.OsEvent;
import dev.coro.spi.Poller;
import dev.coro.tck.FdLeakCheck;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.Pipe;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The poller alone, over pipes and loopback sockets: one kevent call per poll, knote reuse after a
 * cancel, a change's error failing only its registration, EV_EOF's error, the eventlist growing,
 * channels closed behind its back, and bad arguments. The call and change counts come from the shim.
 */
@ExtendWith(FdLeakCheck.class)
class KqueuePollerTest {
    private static final long BOUND = TimeUnit.SECONDS.toNanos(10);

    private KqueuePoller poller;
    private final List<String> seen = new ArrayList<>();
    private final Poller.ReadySink sink = new Poller.ReadySink() {
        @Override
        public void ready(Object a, int ops) {
            seen.add(a + ":" + ops);
        }

        @Override
        public void fired(Object a, long data) {
            seen.add(a + ":fired " + data);
        }

        @Override
        public void failed(Object a, IOException e) {
            seen.add(a + ":failed " + e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    };
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @BeforeEach
    void open() throws IOException {
        KqueueShim.require();
        poller = new KqueuePoller(TimeUnit.MILLISECONDS.toNanos(50));
    }

    @AfterEach
    void close() throws Exception {
        poller.close();
        for (AutoCloseable c : toClose) {
            c.close();
        }
    }

    private Pipe pipe() throws IOException {
        Pipe p = Pipe.open();
        p.source().configureBlocking(false);
        p.sink().configureBlocking(false);
        toClose.add(p.source());
        toClose.add(p.sink());
        return p;
    }

    private static void write(Pipe p) throws IOException {
        p.sink().write(ByteBuffer.wrap(new byte[]{1}));
    }

    /** Polls until {@code n} readinesses were seen (bounded). */
    private void pollUntil(int n) throws IOException {
        long giveUp = System.nanoTime() + BOUND;
        while (seen.size() < n && System.nanoTime() < giveUp) {
            poller.poll(BOUND, sink);
        }
        assertEquals(n, seen.size(), "readinesses seen: " + seen);
    }

    @Test
    void everyChangeOfAnIterationRidesInTheOneCallThatWaits() throws IOException {
        assumeTrue(KqueueShim.isShim(), "counts the shim's calls and applied changes");
        List<Pipe> pipes = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            Pipe p = pipe();
            pipes.add(p);
            poller.register(p.source(), Poller.READ, "r" + i);
            write(p);
        }
        long calls = TestNative.Shim.kqshim_kevent_calls(), changes = TestNative.Shim.kqshim_changes_applied();
        assertEquals(10, poller.poll(BOUND, sink));
        assertEquals(1, TestNative.Shim.kqshim_kevent_calls() - calls, "one kevent call for ten changes and their events");
        assertEquals(10, TestNative.Shim.kqshim_changes_applied() - changes);
        assertEquals(0, poller.registrations());
    }

    @Test
    void aCancelledWaitLeavesItsKnoteForTheNextRegistrationOfThatChannel() throws IOException {
        assumeTrue(KqueueShim.isShim(), "counts the shim's applied changes");
        Pipe p = pipe();
        poller.register(p.source(), Poller.READ, "first").cancel();
        assertEquals(0, poller.poll(0, sink));
        long changes = TestNative.Shim.kqshim_changes_applied();
        poller.register(p.source(), Poller.READ, "second");
        write(p);
        assertEquals(1, poller.poll(BOUND, sink));
        assertEquals(List.of("second:" + Poller.READ), seen);
        assertEquals(0, TestNative.Shim.kqshim_changes_applied() - changes, "the armed knote was reused: no change");
        // Fired, the one-shot knote is gone: the next registration arms a new one.
        poller.register(p.source(), Poller.READ, "third");
        assertEquals(1, poller.poll(BOUND, sink));
        assertEquals(1, TestNative.Shim.kqshim_changes_applied() - changes);
    }

    @Test
    void aKnoteNobodyWantsAnyMoreFiresUnreported() throws IOException {
        Pipe p = pipe();
        poller.register(p.source(), Poller.READ, "gone").cancel();
        write(p);
        assertEquals(0, poller.poll(0, sink));
        assertEquals(List.of(), seen);
    }

    @Test
    void bothDirectionsAndSeveralWaitersOfOneChannel() throws IOException {
        try (ServerSocketChannel server = ServerSocketChannel.open()) {
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            try (SocketChannel a = SocketChannel.open(server.getLocalAddress()); SocketChannel b = server.accept()) {
                a.configureBlocking(false);
                poller.register(a, Poller.READ, "read");
                poller.register(a, Poller.WRITE, "write1");
                poller.register(a, Poller.WRITE, "write2");
                assertEquals(2, poller.poll(BOUND, sink));
                assertEquals(List.of("write1:2", "write2:2"), seen);
                b.write(ByteBuffer.wrap(new byte[]{1}));
                pollUntil(3);
                assertEquals("read:1", seen.get(2));
            }
        }
    }

    @Test
    void aChangeRefusedForAClosedFdFailsOnlyItsRegistration() throws IOException {
        Pipe a = pipe(), b = pipe(), c = pipe();
        poller.register(a.source(), Poller.READ, "a");
        poller.register(b.source(), Poller.READ, "b");
        poller.register(c.source(), Poller.READ, "c");
        write(a);
        write(c);
        b.source().close(); // before the change reaches the kernel: its EV_ADD gets EBADF
        pollUntil(3);
        assertTrue(seen.containsAll(List.of("a:1", "b:" + Poller.CLOSED, "c:1")), seen.toString());
        assertEquals(0, poller.registrations());
    }

    @Test
    void aChannelClosedBehindThePollersBackIsReportedClosedByTheSweep() throws IOException {
        Pipe p = pipe();
        poller.register(p.source(), Poller.READ, "r");
        assertEquals(0, poller.poll(0, sink)); // the knote is in the kernel now
        p.source().close(); // the kernel drops it silently
        pollUntil(1);
        assertEquals(List.of("r:" + Poller.CLOSED), seen);
        assertEquals(0, poller.registrations());
    }

    @Test
    void anEvErrorFailsOnlyItsRegistrationAndEveryLaterOneMeetsItToo() throws Exception {
        // A pipe whose fd now names a regular file, which epoll (the shim) refuses with EPERM.
        assumeTrue(KqueueShim.isShim(), "uses epoll's refusal of regular files");
        Pipe p = pipe();
        Pipe other = pipe();
        int fd = ((sun.nio.ch.SelChImpl) p.source()).getFDVal();
        int file = TestNative.LibC.open("/proc/self/status", 0);
        assertTrue(file >= 0);
        try {
            assertEquals(fd, TestNative.LibC.dup2(file, fd));
        } finally {
            TestNative.LibC.close(file);
        }
        poller.register(p.source(), Poller.READ, "r");
        poller.register(other.source(), Poller.READ, "other");
        write(other);
        pollUntil(2);
        assertTrue(seen.contains("other:1"), "the batch's other change still works: " + seen);
        String failure = seen.stream().filter(x -> x.startsWith("r:")).findFirst().orElseThrow();
        assertTrue(failure.startsWith("r:failed IOException") && failure.contains("EPERM") && failure.contains("EVFILT_READ"),
                failure);
        seen.clear();
        poller.register(p.source(), Poller.READ, "again");
        pollUntil(1);
        assertTrue(seen.get(0).startsWith("again:failed IOException") && seen.get(0).contains("EPERM"), seen.toString());
        assertEquals(0, poller.registrations());
    }

    @Test
    void aResetFailsTheWaiterWithTheSocketsError() throws IOException {
        try (ServerSocketChannel server = ServerSocketChannel.open()) {
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            try (SocketChannel client = SocketChannel.open(server.getLocalAddress()); SocketChannel conn = server.accept()) {
                conn.configureBlocking(false);
                poller.register(conn, Poller.READ, "r");
                client.setOption(StandardSocketOptions.SO_LINGER, 0);
                client.close();
                pollUntil(1);
                // EV_EOF's fflags as the JDK would raise it from a read: dev.coro.net maps this message to a reset.
                assertEquals(List.of("r:failed SocketException: Connection reset by peer"), seen);
            }
        }
    }

    // ---------------------------------------------------------------- OS events

    @Test
    void aSignalIsReportedWithItsCountAndItsKnoteGoesWithTheWait() throws IOException {
        int sigurg = 23; // ignored by default and unused by the JVM
        poller.register(new OsEvent.Signal("URG", sigurg), "s1");
        poller.register(new OsEvent.Signal("URG", sigurg), "s2");
        assertEquals(0, poller.poll(0, sink)); // hands the one knote to the kernel
        assertEquals(0, TestNative.LibC.kill(TestNative.LibC.getpid(), sigurg));
        pollUntil(2);
        assertTrue(seen.stream().allMatch(x -> x.matches("s[12]:fired [1-9][0-9]*")), seen.toString());
        assertEquals(0, poller.registrations());
    }

    @Test
    void aProcessExitIsReportedAndAGoneProcessAtOnce() throws Exception {
        Process cat = new ProcessBuilder("cat").redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            poller.register(new OsEvent.ProcessExit(cat.pid()), "exit");
            assertEquals(0, poller.poll(0, sink));
            cat.getOutputStream().close();
            pollUntil(1);
            // The status where the OS gives it; the shim gives -1 when the JVM's reaper took it first.
            assertTrue(seen.get(0).equals("exit:fired 0") || seen.get(0).equals("exit:fired -1"), seen.toString());
            assertTrue(cat.waitFor(10, TimeUnit.SECONDS));
            seen.clear();
            poller.register(new OsEvent.ProcessExit(cat.pid()), "gone"); // reaped: ESRCH
            pollUntil(1);
            assertEquals(List.of("gone:fired -1"), seen);
        } finally {
            cat.destroyForcibly().waitFor();
            cat.getInputStream().close();
            cat.getErrorStream().close();
        }
    }

    @Test
    void aFileChangeIsReportedWithinItsInterest() throws IOException {
        Path f = Files.writeString(Files.createTempFile("kq", ".txt"), "a");
        try {
            poller.register(new OsEvent.FileChange(f, OsEvent.FileChange.WRITE | OsEvent.FileChange.DELETE), "f");
            assertEquals(0, poller.poll(0, sink));
            Files.writeString(f, "more", StandardOpenOption.APPEND);
            pollUntil(1);
            assertEquals(List.of("f:fired " + OsEvent.FileChange.WRITE), seen, "EXTEND was not asked for");
        } finally {
            Files.delete(f);
        }
    }

    @Test
    void aCancelledOsEventWaitDeletesItsKnoteAndClosesItsFdWithTheNextCall() throws IOException {
        assumeTrue(KqueueShim.isShim(), "counts the shim's applied changes");
        Path f = Files.writeString(Files.createTempFile("kq", ".txt"), "a");
        try {
            Set<String> before = FdLeakCheck.openFds();
            Poller.Registration r = poller.register(new OsEvent.FileChange(f, OsEvent.FileChange.ALL), "f");
            assertEquals(0, poller.poll(0, sink)); // EV_ADD applied
            assertTrue(FdLeakCheck.openFds().size() > before.size(), "the wait holds an fd of the file");
            r.cancel();
            long applied = TestNative.Shim.kqshim_changes_applied();
            assertEquals(0, poller.poll(0, sink));
            assertEquals(applied + 1, TestNative.Shim.kqshim_changes_applied(), "one EV_DELETE in the next call");
            assertEquals(before, FdLeakCheck.openFds(), "the file's fd (and the shim's inotify fd) closed");
            Files.writeString(f, "more", StandardOpenOption.APPEND);
            assertEquals(0, poller.poll(TimeUnit.MILLISECONDS.toNanos(20), sink));
            assertEquals(List.of(), seen, "nothing reported for a cancelled wait");
            assertEquals(0, poller.registrations());
        } finally {
            Files.delete(f);
        }
    }

    @Test
    void aMissingFileIsRefusedAtRegistration() {
        assertThrows(java.nio.file.NoSuchFileException.class,
                () -> poller.register(new OsEvent.FileChange(Path.of("/nonexistent/coro"), OsEvent.FileChange.WRITE), "x"));
        assertEquals(0, poller.registrations());
    }

    @Test
    void theEventListGrowsWhenAPollFillsIt() throws IOException {
        int n = poller.eventCapacity() + 10;
        for (int i = 0; i < n; i++) {
            Pipe p = pipe();
            write(p);
            poller.register(p.source(), Poller.READ, i);
        }
        int before = poller.eventCapacity();
        pollUntil(n);
        assertTrue(poller.eventCapacity() > before, "capacity " + before + " -> " + poller.eventCapacity());
    }

    @Test
    void aHugeTimeoutIsCappedAndAWakeupEndsIt() throws Exception {
        Pipe p = pipe();
        poller.register(p.source(), Poller.READ, "never");
        // Bounded: a lost wake-up would otherwise hang the test instead of failing it.
        assertTimeoutPreemptively(java.time.Duration.ofNanos(BOUND), () -> {
            Thread t = Thread.ofPlatform().start(poller::wakeup);
            assertEquals(0, poller.poll(Long.MAX_VALUE, sink)); // EINVAL here would throw
            t.join();
            // Between two polls, after one whose trigger came from another thread: must not be lost.
            poller.wakeup();
            poller.wakeup(); // one trigger for both
            assertEquals(0, poller.poll(Long.MAX_VALUE, sink));
        }, "poll(Long.MAX_VALUE) stayed blocked after wakeup()");
    }

    @Test
    void badArgumentsGetSpecificExceptions() throws IOException {
        Pipe p = pipe();
        assertThrows(NullPointerException.class, () -> poller.register(null, Poller.READ, "x"));
        assertThrows(IllegalArgumentException.class, () -> poller.register(p.source(), 0, "x"));
        assertThrows(IllegalArgumentException.class, () -> poller.register(p.source(), Poller.CLOSED, "x"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> poller.register(p.sink(), Poller.READ, "x"));
        assertTrue(e.getMessage().contains("READ"), e.getMessage());
        p.source().configureBlocking(true);
        assertThrows(java.nio.channels.IllegalBlockingModeException.class, () -> poller.register(p.source(), Poller.READ, "x"));
        Pipe closed = Pipe.open();
        closed.source().close();
        closed.sink().close();
        assertThrows(ClosedChannelException.class, () -> poller.register(closed.source(), Poller.READ, "x"));
        assertThrows(NullPointerException.class, () -> poller.poll(0, null));
        poller.close();
        poller.close(); // idempotent
        assertThrows(IllegalStateException.class, () -> poller.register(p.sink(), Poller.WRITE, "x"));
        assertThrows(IllegalStateException.class, () -> poller.poll(0, sink));
        poller.wakeup(); // after close: harmless
    }
}
