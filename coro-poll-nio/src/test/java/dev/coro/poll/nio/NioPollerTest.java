package dev.coro.poll.nio;

import dev.coro.spi.Poller;
import dev.coro.tck.FdLeakCheck;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.IllegalBlockingModeException;
import java.nio.channels.Pipe;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.spi.SelectorProvider;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
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

    /** Pipes whose sources wait on the poller (nothing is written to them); closed with the test. */
    private List<Pipe> waitingPipes(int n) throws IOException {
        List<Pipe> pipes = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Pipe p = Pipe.open();
            pipes.add(p);
            p.source().configureBlocking(false);
            poller.register(p.source(), Poller.READ, "waiter-" + i);
        }
        return pipes;
    }

    private static void closeAll(List<Pipe> pipes) throws IOException {
        for (Pipe p : pipes) {
            p.source().close();
            p.sink().close();
        }
    }

    /** A pipe whose source waited once (so it has a key here) and now has no registration. */
    private Pipe waitedOnce() throws IOException {
        Pipe p = Pipe.open();
        p.source().configureBlocking(false);
        poller.register(p.source(), Poller.READ, "once");
        p.sink().write(ByteBuffer.wrap(new byte[]{1}));
        while (!seen.contains("once:" + Poller.READ)) {
            poller.poll(-1, sink);
        }
        seen.clear();
        return p;
    }

    @Test
    void closeNotification_anOwnersCloseCostsNoSearchAmongTheWaiters() throws IOException {
        List<Pipe> waiting = waitingPipes(50);
        try {
            Pipe p = waitedOnce();
            long before = poller.sweptChannels();
            p.source().close();
            p.sink().close();
            poller.closedByOwner(p.source());
            assertEquals(0, poller.poll(0, sink));
            assertEquals(List.of(), seen);
            assertEquals(0, poller.sweptChannels() - before, "channels searched for an announced close, 50 waiting");
            assertEquals(50, poller.registrations());
            poller.closedByOwner(p.source()); // again, after its key is gone: no effect
            poller.closedByOwner(pipe.source()); // an open channel: no effect
            assertEquals(0, poller.poll(0, sink));
        } finally {
            closeAll(waiting);
        }
    }

    @Test
    void closeNotification_anOwnersCloseDoesNotHideACloseBehindTheBackInTheSameInterval() throws IOException {
        List<Pipe> waiting = waitingPipes(5);
        try {
            Pipe owned = waitedOnce();
            Pipe.SourceChannel behind = waiting.get(2).source();
            owned.source().close();
            owned.sink().close();
            poller.closedByOwner(owned.source());
            behind.close();
            // Bounded only as a hang guard: a poller that misses the close sleeps for ever.
            int n = assertTimeoutPreemptively(java.time.Duration.ofSeconds(10), () -> poller.poll(-1, sink));
            assertEquals(1, n, "a blocking poll reports the close that came before it");
            assertEquals(List.of("waiter-2:" + Poller.CLOSED), seen);
            assertEquals(4, poller.registrations());
        } finally {
            closeAll(waiting);
        }
    }

    /**
     * A channel over a real pipe source whose key, as {@code keyFor} hands it out, is cancelled just
     * after the poller's first look at it: what a close by another thread can do at that moment.
     */
    private static final class RacingChannel extends SelectableChannel {
        final Pipe.SourceChannel real;

        RacingChannel(Pipe.SourceChannel real) {
            this.real = real;
        }

        @Override
        public SelectionKey keyFor(Selector sel) {
            SelectionKey k = real.keyFor(sel);
            return k == null ? null : new RacingKey(k, real);
        }

        @Override public SelectorProvider provider() { return real.provider(); }
        @Override public int validOps() { return real.validOps(); }
        @Override public boolean isRegistered() { return real.isRegistered(); }
        @Override public SelectionKey register(Selector sel, int ops, Object att) throws ClosedChannelException {
            return real.register(sel, ops, att);
        }
        @Override public SelectableChannel configureBlocking(boolean block) throws IOException {
            real.configureBlocking(block);
            return this;
        }
        @Override public boolean isBlocking() { return real.isBlocking(); }
        @Override public Object blockingLock() { return real.blockingLock(); }
        @Override protected void implCloseChannel() throws IOException { real.close(); }
    }

    /** The real key; its channel is closed (so the key cancelled) right after the first call on it returns or starts. */
    private static class RacingKey extends SelectionKey {
        final SelectionKey real;
        final Pipe.SourceChannel channel;

        RacingKey(SelectionKey real, Pipe.SourceChannel channel) {
            this.real = real;
            this.channel = channel;
            attach(real.attachment());
        }

        private void closeByAnotherThreadNow() {
            try {
                channel.close();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        @Override public boolean isValid() {
            boolean valid = real.isValid();
            closeByAnotherThreadNow(); // after the check: the window the race hits
            return valid;
        }
        @Override public int interestOps() {
            closeByAnotherThreadNow();
            return real.interestOps();
        }
        @Override public SelectionKey interestOps(int ops) {
            closeByAnotherThreadNow();
            return real.interestOps(ops);
        }
        @Override public int readyOps() { return real.readyOps(); }
        @Override public SelectableChannel channel() { return channel; }
        @Override public Selector selector() { return real.selector(); }
        @Override public void cancel() { real.cancel(); }
    }

    @Test
    void crossThreadClose_aKeyCancelledWhileRegisterUsesItIsAClosedChannel() throws IOException {
        Pipe p = waitedOnce();
        try (RacingChannel racing = new RacingChannel(p.source())) {
            assertThrows(ClosedChannelException.class,
                    () -> poller.register(racing, Poller.READ, "x"), "not a CancelledKeyException");
            assertEquals(0, poller.registrations());
        } finally {
            p.source().close();
            p.sink().close();
        }
        assertEquals(0, poller.poll(0, sink));
    }

    @Test
    void crossThreadClose_aKeyCancelledWhileItsReadinessIsHandledIsNoError() throws IOException {
        Pipe p = waitedOnce(); // no registration left: its readiness is unwanted, so onKey drops the interest
        try {
            SelectionKey real = p.source().keyFor(poller.selector());
            assertDoesNotThrow(() -> poller.onKey(new RacingKey(real, p.source()) {
                @Override
                public int readyOps() {
                    return SelectionKey.OP_READ;
                }
            }));
            assertThrows(CancelledKeyException.class, real::interestOps, "the simulated close cancelled the key");
        } finally {
            p.source().close();
            p.sink().close();
        }
        assertEquals(0, poller.poll(0, sink));
        assertEquals(List.of(), seen);
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
