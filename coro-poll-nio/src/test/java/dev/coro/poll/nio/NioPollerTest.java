package dev.coro.poll.nio;

import dev.coro.spi.Poller;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.IllegalBlockingModeException;
import java.nio.channels.Pipe;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/** The poller alone, over pipes: one-shot registrations, cancel, both directions, wake-up, close. */
@ExtendWith(FdLeakCheck.class)
class NioPollerTest {
    private NioPoller poller;
    private Pipe pipe;
    private final List<String> seen = new ArrayList<>();
    private final Poller.ReadySink sink = (a, ops) -> seen.add(a + ":" + ops);

    @BeforeEach
    void open() throws IOException {
        poller = (NioPoller) new NioPollerProvider().open();
        pipe = Pipe.open();
        pipe.source().configureBlocking(false);
        pipe.sink().configureBlocking(false);
    }

    @AfterEach
    void close() throws IOException {
        poller.close();
        pipe.source().close();
        pipe.sink().close();
    }

    @Test
    void aRegistrationReportsOnceAndIsGone() throws IOException {
        poller.register(pipe.source(), Poller.READ, "r");
        assertEquals(1, poller.registrations());
        assertEquals(0, poller.poll(0, sink), "nothing to read yet");
        pipe.sink().write(ByteBuffer.wrap(new byte[]{1}));
        assertEquals(1, poller.poll(-1, sink));
        assertEquals(List.of("r:" + Poller.READ), seen);
        assertEquals(0, poller.registrations());
        assertEquals(0, poller.poll(0, sink), "one-shot: still readable, but nobody is registered");
        poller.register(pipe.source(), Poller.READ, "again");
        assertEquals(1, poller.poll(0, sink), "a new registration on the same channel reports again");
        assertEquals(List.of("r:1", "again:1"), seen);
    }

    @Test
    void aCancelledRegistrationNeverReports() throws IOException {
        Poller.Registration r = poller.register(pipe.source(), Poller.READ, "r");
        r.cancel();
        r.cancel(); // idempotent
        assertEquals(0, poller.registrations());
        pipe.sink().write(ByteBuffer.wrap(new byte[]{1}));
        assertEquals(0, poller.poll(0, sink));
        assertEquals(List.of(), seen);
    }

    @Test
    void readAndWriteWaitersOnOneChannelAreIndependent() throws IOException {
        Pipe.SourceChannel src = pipe.source();
        poller.register(src, Poller.READ, "reader");
        poller.register(pipe.sink(), Poller.WRITE, "writer");
        assertEquals(1, poller.poll(0, sink), "the sink is writable, the source not yet readable");
        assertEquals(List.of("writer:" + Poller.WRITE), seen);
        pipe.sink().write(ByteBuffer.wrap(new byte[]{1}));
        assertEquals(1, poller.poll(-1, sink));
        assertEquals(List.of("writer:2", "reader:1"), seen);
    }

    @Test
    void bothDirectionsOfOneSocketAtOnce() throws IOException {
        try (var server = java.nio.channels.ServerSocketChannel.open().bind(null);
             var a = java.nio.channels.SocketChannel.open(server.getLocalAddress());
             var b = server.accept()) {
            a.configureBlocking(false);
            poller.register(a, Poller.READ, "read");
            poller.register(a, Poller.WRITE, "write");
            assertEquals(2, poller.registrations());
            assertEquals(1, poller.poll(0, sink));
            assertEquals(List.of("write:2"), seen);
            b.write(ByteBuffer.wrap(new byte[]{1}));
            assertEquals(1, poller.poll(-1, sink));
            assertEquals(List.of("write:2", "read:1"), seen);
        }
    }

    @Test
    void aChannelClosedBehindThePollersBackReportsClosed() throws IOException {
        Pipe p = Pipe.open();
        p.source().configureBlocking(false);
        poller.register(p.source(), Poller.READ, "r");
        p.source().close();
        p.sink().close();
        poller.poll(0, sink);
        assertEquals(List.of("r:" + Poller.CLOSED), seen);
        assertEquals(0, poller.registrations());
    }

    @Test
    void wakeupFromAnotherThreadEndsAnUnboundedPoll() throws Exception {
        poller.register(pipe.source(), Poller.READ, "never");
        CountDownLatch polling = new CountDownLatch(1);
        Thread waker = Thread.ofPlatform().start(() -> {
            try {
                polling.await();
            } catch (InterruptedException e) {
                return;
            }
            poller.wakeup();
        });
        // Bounded only as a hang guard: the wake-up may come before or during the poll; both must end it.
        assertTimeoutPreemptively(java.time.Duration.ofSeconds(20), () -> {
            polling.countDown();
            assertEquals(0, poller.poll(-1, sink));
        });
        waker.join();
        poller.wakeup();
        assertEquals(0, poller.poll(-1, sink), "a wake-up before the poll makes the next poll return");
    }

    @Test
    void badInputIsRefusedWithSpecificExceptions() throws IOException {
        assertThrows(IllegalArgumentException.class, () -> poller.register(pipe.source(), 0, "x"));
        assertThrows(IllegalArgumentException.class, () -> poller.register(pipe.source(), Poller.CLOSED, "x"));
        assertThrows(IllegalArgumentException.class, () -> poller.register(pipe.source(), Poller.WRITE, "x"),
                "a pipe's source cannot be written");
        assertThrows(NullPointerException.class, () -> poller.register(null, Poller.READ, "x"));
        Pipe blocking = Pipe.open();
        try (Pipe.SourceChannel src = blocking.source(); Pipe.SinkChannel snk = blocking.sink()) {
            assertThrows(IllegalBlockingModeException.class, () -> poller.register(src, Poller.READ, "x"));
        }
        Pipe closed = Pipe.open();
        closed.source().close();
        closed.sink().close();
        assertThrows(ClosedChannelException.class, () -> poller.register(closed.source(), Poller.READ, "x"));
        poller.close();
        poller.close(); // idempotent
        assertThrows(IllegalStateException.class, () -> poller.register(pipe.source(), Poller.READ, "x"));
        assertThrows(IllegalStateException.class, () -> poller.poll(0, sink));
    }

    @Test
    void closeDropsEveryRegistration() throws IOException {
        poller.register(pipe.source(), Poller.READ, "a");
        poller.register(pipe.sink(), Poller.WRITE, "b");
        poller.close();
        assertEquals(0, poller.registrations());
    }

    @Test
    void timeoutsRoundUpToWholeMillisecondsSoThatPollNeverWakesEarly() {
        assertEquals(1, NioPoller.millisAtLeast(1));
        assertEquals(1, NioPoller.millisAtLeast(1_000_000));
        assertEquals(2, NioPoller.millisAtLeast(1_000_001));
        assertEquals(Long.MAX_VALUE / 1_000_000, NioPoller.millisAtLeast(Long.MAX_VALUE));
    }
}
