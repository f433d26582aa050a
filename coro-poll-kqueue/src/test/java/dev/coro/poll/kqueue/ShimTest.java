package dev.coro.poll.kqueue;

import com.sun.jna.Memory;
import com.sun.jna.Native;
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
import java.nio.channels.Pipe;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import static dev.coro.poll.kqueue.KeventLayout.EVFILT_READ;
import static dev.coro.poll.kqueue.KeventLayout.EVFILT_WRITE;
import static dev.coro.poll.kqueue.KeventLayout.EV_ADD;
import static dev.coro.poll.kqueue.KeventLayout.EV_CLEAR;
import static dev.coro.poll.kqueue.KeventLayout.EV_DELETE;
import static dev.coro.poll.kqueue.KeventLayout.EV_DISABLE;
import static dev.coro.poll.kqueue.KeventLayout.EV_ENABLE;
import static dev.coro.poll.kqueue.KeventLayout.EV_EOF;
import static dev.coro.poll.kqueue.KeventLayout.EV_ERROR;
import static dev.coro.poll.kqueue.KeventLayout.EV_ONESHOT;
import static dev.coro.poll.kqueue.KeventLayout.EV_RECEIPT;
import static dev.coro.poll.kqueue.KeventLayout.NOTE_TRIGGER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * kqueue(2) semantics through the binding and the FreeBSD {@code struct kevent} layout, round trip:
 * against the Linux shim here, against the kernel on FreeBSD. Every wait is bounded and returns as
 * soon as its event is there; nothing sleeps.
 */
@ExtendWith(FdLeakCheck.class)
class ShimTest {
    private static final long BOUND = TimeUnit.SECONDS.toNanos(10);
    private static final int SIGWINCH = 28;

    private int kq;
    private KeventArray ch, ev;
    private Timespec ts;
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @BeforeEach
    void open() throws IOException {
        KqueueShim.require();
        kq = KqueueNative.newKqueue();
        ch = new KeventArray(KqueueNative.LAYOUT, 8);
        ev = new KeventArray(KqueueNative.LAYOUT, 8);
        ts = new Timespec();
    }

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : toClose) {
            c.close();
        }
        assertEquals(0, KqueueNative.close(kq), "close(kq)");
        ch.close();
        ev.close();
        ts.close();
    }

    private int call(int nchanges, long timeoutNanos) throws IOException {
        return KqueueNative.kevent(kq, ch, nchanges, ev, ts, timeoutNanos);
    }

    private Pipe pipe() throws IOException {
        Pipe p = Pipe.open();
        p.source().configureBlocking(false);
        p.sink().configureBlocking(false);
        toClose.add(p.source());
        toClose.add(p.sink());
        return p;
    }

    private static int fd(java.nio.channels.SelectableChannel c) {
        return ((sun.nio.ch.SelChImpl) c).getFDVal();
    }

    @Test
    void aOneShotReadFiresOnceWhenDataComes() throws IOException {
        Pipe p = pipe();
        int fd = fd(p.source());
        ch.put(0, fd, EVFILT_READ, EV_ADD | EV_ONESHOT, 0, 0, 7);
        assertEquals(0, call(1, 0), "nothing to read yet");
        p.sink().write(ByteBuffer.wrap(new byte[]{1, 2, 3}));
        assertEquals(1, call(0, BOUND));
        assertEquals(fd, ev.ident(0));
        assertEquals(EVFILT_READ, ev.filter(0));
        assertEquals(7, ev.udata(0));
        assertEquals(3, ev.data(0), "bytes readable");
        assertEquals(0, ev.flags(0) & (EV_EOF | EV_ERROR));
        assertEquals(0, call(0, 0), "one-shot: gone although the bytes are still there");
    }

    @Test
    void withoutOneShotReadinessIsLevelAndDisableEnableDeleteWork() throws IOException {
        Pipe p = pipe();
        int fd = fd(p.source());
        p.sink().write(ByteBuffer.wrap(new byte[]{1}));
        ch.put(0, fd, EVFILT_READ, EV_ADD, 0, 0, 1);
        assertEquals(1, call(1, BOUND));
        assertEquals(1, call(0, BOUND), "level-triggered: reported again");
        ch.put(0, fd, EVFILT_READ, EV_DISABLE, 0, 0, 0);
        assertEquals(0, call(1, 0), "disabled");
        ch.put(0, fd, EVFILT_READ, EV_ENABLE, 0, 0, 0);
        assertEquals(1, call(1, BOUND), "enabled again");
        ch.put(0, fd, EVFILT_READ, EV_DELETE, 0, 0, 0);
        assertEquals(0, call(1, 0), "deleted");
        ch.put(0, fd, EVFILT_READ, EV_DELETE, 0, 0, 0);
        assertEquals(1, call(1, 0), "deleting again: an error entry");
        assertEquals(EV_ERROR, ev.flags(0) & EV_ERROR);
        assertEquals(KqueueNative.ENOENT, ev.data(0));
    }

    @Test
    void eofOnPeerCloseHasNoError() throws IOException {
        try (ServerSocketChannel server = ServerSocketChannel.open()) {
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            try (SocketChannel client = SocketChannel.open(server.getLocalAddress()); SocketChannel conn = server.accept()) {
                conn.configureBlocking(false);
                ch.put(0, fd(conn), EVFILT_READ, EV_ADD | EV_ONESHOT, 0, 0, 5);
                assertEquals(0, call(1, 0));
                client.close();
                assertEquals(1, call(0, BOUND));
                assertEquals(EV_EOF, ev.flags(0) & EV_EOF, "EV_EOF after the peer's FIN");
                assertEquals(0, ev.fflags(0), "a clean close: no socket error");
            }
        }
    }

    @Test
    void eofOnResetCarriesEconnresetInFflags() throws IOException {
        try (ServerSocketChannel server = ServerSocketChannel.open()) {
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            try (SocketChannel client = SocketChannel.open(server.getLocalAddress()); SocketChannel conn = server.accept()) {
                conn.configureBlocking(false);
                ch.put(0, fd(conn), EVFILT_READ, EV_ADD | EV_ONESHOT, 0, 0, 5);
                ch.put(1, fd(conn), EVFILT_WRITE, EV_ADD | EV_ONESHOT, 0, 0, 6);
                assertEquals(1, call(2, BOUND), "writable, not readable");
                assertEquals(EVFILT_WRITE, ev.filter(0));
                client.setOption(StandardSocketOptions.SO_LINGER, 0);
                client.close(); // linger 0: an RST, not a FIN
                assertEquals(1, call(0, BOUND));
                assertEquals(EVFILT_READ, ev.filter(0));
                assertEquals(EV_EOF, ev.flags(0) & EV_EOF);
                assertEquals(econnreset(), ev.fflags(0), "fflags is the socket's error: ECONNRESET");
            }
        }
    }

    static int econnreset() {
        return System.getProperty("os.name").toLowerCase(java.util.Locale.ROOT).contains("linux") ? 104 : 54;
    }

    @Test
    void changeErrorsComeAsEntriesAndDoNotStopTheOtherChanges() throws IOException {
        Pipe p = pipe();
        int closedFd = closedFd();
        ch.put(0, fd(p.source()), EVFILT_READ, EV_ADD | EV_ONESHOT | EV_RECEIPT, 0, 0, 1);
        ch.put(1, closedFd, EVFILT_READ, EV_ADD | EV_ONESHOT, 0, 0, 2);
        ch.put(2, fd(p.sink()), EVFILT_WRITE, EV_ADD | EV_ONESHOT | EV_RECEIPT, 0, 0, 3);
        // With error entries the call returns them at once, without looking for events (the sink
        // is writable, but its event comes only from the next call).
        assertEquals(3, call(3, BOUND));
        for (int i = 0; i < 3; i++) {
            assertEquals(EV_ERROR, ev.flags(i) & EV_ERROR, "entry " + i + " is an EV_ERROR entry");
            assertEquals(i + 1, ev.udata(i), "entry " + i + " echoes its change");
        }
        assertEquals(0, ev.data(0), "a receipt of a change that succeeded");
        assertEquals(KqueueNative.EBADF, ev.data(1), "a closed fd");
        assertEquals(0, ev.data(2));
        assertEquals(1, call(0, BOUND), "the change after the failed one was applied");
        assertEquals(EVFILT_WRITE, ev.filter(0));
        assertEquals(3, ev.udata(0));
        // No room for an error entry: the call itself fails with it.
        ch.put(0, closedFd, EVFILT_READ, EV_ADD, 0, 0, 2);
        assertEquals(-1, KqueueNative.kevent(kq, ch.address(), 1, 0, 0, 0));
        assertEquals(KqueueNative.EBADF, Native.getLastError());
    }

    private static int closedFd() throws IOException {
        Pipe p = Pipe.open();
        int fd = fd(p.source());
        p.source().close();
        p.sink().close();
        return fd; // nothing else opens an fd between here and its use (one test at a time)
    }

    @Test
    void aUserEventTriggeredFromAnotherThreadWakesAWait() throws Exception {
        short user = KqueueNative.LAYOUT.evfiltUser;
        ch.put(0, 1, user, EV_ADD | EV_CLEAR, 0, 0, 11);
        assertEquals(0, call(1, 0), "added, not triggered");
        CountDownLatch go = new CountDownLatch(1);
        int[] rc = {Integer.MIN_VALUE};
        Thread t = Thread.ofPlatform().start(() -> {
            try (KeventArray trig = new KeventArray(KqueueNative.LAYOUT, 1)) {
                trig.put(0, 1, user, 0, NOTE_TRIGGER, 0, 0);
                go.await();
                rc[0] = KqueueNative.kevent(kq, trig.address(), 1, 0, 0, 0); // nevents 0: never waits
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        go.countDown();
        assertEquals(1, call(0, BOUND), "woken by the trigger");
        t.join();
        assertEquals(0, rc[0]);
        assertEquals(user, ev.filter(0));
        assertEquals(1, ev.ident(0));
        assertEquals(11, ev.udata(0));
        assertEquals(0, call(0, 0), "EV_CLEAR: consumed by its delivery");
    }

    @Test
    void eintrIsRetriedWithTheTimeLeftAndWithoutTheChangelist() throws Exception {
        assumeTrue(KqueueShim.isShim(), "the EINTR test uses the shim's signal helper");
        assertEquals(0, TestNative.Shim.kqshim_install_noop_handler(SIGWINCH));
        Pipe p = pipe();
        ch.put(0, fd(p.source()), EVFILT_READ, EV_ADD | EV_ONESHOT, 0, 0, 9);
        int pid = (int) ProcessHandle.current().pid();
        int[] tid = {0};
        CountDownLatch haveTid = new CountDownLatch(1);
        long retriesBefore = KqueueNative.eintrRetries;
        long appliedBefore = TestNative.Shim.kqshim_changes_applied();
        Throwable[] failed = {null};
        Thread interrupter = Thread.ofPlatform().start(() -> {
            try {
                haveTid.await();
                long giveUp = System.nanoTime() + BOUND;
                // Signal the waiting thread until one signal has interrupted its wait (a signal that
                // lands before the wait only runs the handler), then make the wait's event come.
                while (KqueueNative.eintrRetries == retriesBefore && System.nanoTime() < giveUp) {
                    TestNative.LinuxLibC.tgkill(pid, tid[0], SIGWINCH);
                    LockSupport.parkNanos(1_000_000);
                }
                p.sink().write(ByteBuffer.wrap(new byte[]{1}));
            } catch (Throwable e) {
                failed[0] = e;
            }
        });
        tid[0] = TestNative.LinuxLibC.gettid();
        haveTid.countDown();
        int n = call(1, BOUND);
        interrupter.join();
        if (failed[0] != null) {
            throw new AssertionError(failed[0]);
        }
        assertTrue(KqueueNative.eintrRetries > retriesBefore, "no wait was interrupted");
        assertEquals(1, n, "the retried wait got the event");
        assertEquals(9, ev.udata(0));
        assertEquals(1, TestNative.Shim.kqshim_changes_applied() - appliedBefore,
                "the changelist was applied once, not again on the EINTR retries");
    }

    @Test
    void aTvNsecOfOneSecondIsRefusedSoTimeoutsAreSplit() {
        try (Memory raw = new Memory(16)) {
            raw.setLong(0, 0);
            raw.setLong(8, 1_000_000_000L);
            assertEquals(-1, KqueueNative.kevent(kq, 0, 0, ev.address(), ev.capacity(), com.sun.jna.Pointer.nativeValue(raw)));
            assertEquals(22, Native.getLastError(), "EINVAL");
        }
    }
}
