package dev.coro.poll.nio;

import dev.coro.Coro;
import dev.coro.Scheduler;
import dev.coro.net.CoroServerSocket;
import dev.coro.net.CoroSocket;
import dev.coro.net.SocketClosedException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Notify of close as the poller pays for it: a socket's own close wakes its waiters itself, so the
 * poller must not search its other waiters for it; a channel closed behind the socket's back is
 * still reported to its waiter.
 */
@ParameterizedClass
@ValueSource(strings = {"native", "loom"})
class CloseNotificationTest extends NetTestSupport {
    private static final int WAITERS = 20;

    private <T> T runCounted(Callable<T> main) {
        try (Scheduler s = Scheduler.builder().switcher(switcher).poller(CountedNioPollerProvider.NAME)
                .name("test-counted-" + switcher).build()) {
            return s.run(main);
        }
    }

    /** Connections with a coro blocked reading each; {@link #close} wakes and joins them. */
    private static final class Waiters implements AutoCloseable {
        final List<CoroSocket> sockets = new ArrayList<>();
        final List<Coro<Object>> readers = new ArrayList<>();

        Waiters(CoroServerSocket server, int n) throws Exception {
            for (int i = 0; i < n; i++) {
                CoroSocket c = CoroSocket.connectTo(server.localAddress());
                sockets.add(c);
                sockets.add(server.accept());
                readers.add(Coro.spawn("waiter-" + i, () -> assertThrows(SocketClosedException.class, () -> c.recv(1))));
            }
            Coro.yieldSlice(); // every reader now waits on the poller
        }

        @Override
        public void close() throws Exception {
            for (CoroSocket s : sockets) {
                s.close();
            }
            for (Coro<Object> r : readers) {
                r.join();
            }
        }
    }

    /** A connection whose client end has waited on the poller once (so its channel has a key), now idle. */
    private static CoroSocket[] waitedOnce(CoroServerSocket server) throws Exception {
        CoroSocket c = CoroSocket.connectTo(server.localAddress());
        CoroSocket peer = server.accept();
        Coro<byte[]> r = Coro.spawn("wait-once", () -> c.recv(1));
        Coro.yieldSlice();
        peer.sendAll(new byte[]{7});
        assertEquals(1, r.join().length);
        return new CoroSocket[]{c, peer};
    }

    @Test
    void closeNotification_aSocketClosedByItsOwnCoroCostsNoSearchAmongTheOtherWaiters() {
        long swept = runCounted(() -> {
            try (CoroServerSocket server = CoroServerSocket.bind(LOOPBACK_ANY_PORT);
                 Waiters others = new Waiters(server, WAITERS)) {
                CoroSocket[] conn = waitedOnce(server);
                NioPoller poller = CountedNioPollerProvider.current();
                long before = poller.sweptChannels();
                conn[0].close(); // by its own coro: the poller must not search the waiters for it
                Coro.yieldSlice(); // a poll runs: its select deregisters the closed channel's key
                long visited = poller.sweptChannels() - before;
                conn[1].close();
                return visited;
            }
        });
        assertEquals(0, swept, "channels the poller visited after one socket's own close, with " + WAITERS
                + " others waiting");
    }

    @Test
    void closeNotification_aChannelClosedBehindTheSocketsBackStillWakesItsWaiter() {
        String msg = runCounted(() -> {
            try (CoroServerSocket server = CoroServerSocket.bind(LOOPBACK_ANY_PORT);
                 Waiters others = new Waiters(server, 3)) {
                CoroSocket[] conn = waitedOnce(server);
                CoroSocket c = conn[0];
                Coro<String> reader = Coro.spawn("reader", () ->
                        assertThrows(SocketClosedException.class, () -> c.recv(1)).getMessage());
                Coro.yieldSlice(); // the reader waits on the poller
                c.channel().close(); // not CoroSocket.close: only the poller can tell the reader
                String m;
                try {
                    // Bounded only as a hang guard: a poller that misses the close sleeps for ever.
                    m = Coro.withTimeout(java.time.Duration.ofSeconds(10), () -> reader.join());
                } finally {
                    c.close(); // wakes the reader if the poller did not
                }
                conn[1].close();
                return m;
            }
        });
        assertTrue(msg.contains("while this coro waited"), msg);
    }

    /**
     * Closes {@code s} from a new platform thread and waits there, bounded, until one fd fewer is
     * open; the returned future says whether that happened. A bound, not a timing assertion.
     */
    private static CompletableFuture<Boolean> closeFromAnotherThread(CoroSocket s, Thread[] thread) {
        CompletableFuture<Boolean> released = new CompletableFuture<>();
        thread[0] = Thread.ofPlatform().name("closer").start(() -> {
            try {
                Set<String> before = FdLeakCheck.openFds();
                s.close();
                long giveUp = System.nanoTime() + 10_000_000_000L;
                boolean gone;
                while (!(gone = FdLeakCheck.openFds().size() < before.size()) && System.nanoTime() < giveUp) {
                    Thread.onSpinWait();
                }
                released.complete(gone);
            } catch (Throwable t) {
                released.completeExceptionally(t);
            }
        });
        return released;
    }

    @Test
    void closeNotification_aCrossThreadCloseReleasesTheFdWhileTheLoopSleeps() {
        // Racy before the fix (the loop, woken before the channel's close, could sleep again first):
        // several rounds make a lost race all but certain to show.
        int kept = run(() -> {
            int notReleased = 0;
            try (CoroServerSocket server = CoroServerSocket.bind(LOOPBACK_ANY_PORT)) {
                for (int round = 0; round < 10; round++) {
                    CoroSocket[] conn = waitedOnce(server); // the client's channel has a key
                    Thread[] closer = new Thread[1];
                    CompletableFuture<Boolean> released = closeFromAnotherThread(conn[0], closer);
                    if (!Coro.await(released)) { // meanwhile nothing else happens: the loop sleeps in its poll
                        notReleased++;
                    }
                    Coro.blocking(() -> {
                        closer[0].join();
                        return null;
                    });
                    conn[1].close();
                }
            }
            return notReleased;
        });
        assertEquals(0, kept, "rounds of 10 whose socket kept its fd after a close from another thread");
    }
}
