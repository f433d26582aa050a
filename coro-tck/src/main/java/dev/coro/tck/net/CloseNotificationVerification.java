package dev.coro.tck.net;

import dev.coro.Coro;
import dev.coro.net.CoroServerSocket;
import dev.coro.net.CoroSocket;
import dev.coro.net.SocketClosedException;
import dev.coro.tck.FdLeakCheck;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Notify of close: a channel closed behind the socket's back (not through {@code CoroSocket.close})
 * is still reported to its waiter by the poller, and a close from another thread releases the fd
 * while the loop sleeps in its poll. (What a poller pays for an owner's close is its own business:
 * {@code nio} checks that with its counters in its own tests.)
 */
public abstract class CloseNotificationVerification extends SocketVerificationBase {
    /** Connections with a coro blocked reading each; {@link #close} wakes and joins them. */
    protected static final class Waiters implements AutoCloseable {
        final List<CoroSocket> sockets = new ArrayList<>();
        final List<Coro<Object>> readers = new ArrayList<>();

        /** Opens {@code n} connections to {@code server}, each with a coro waiting to read the client end. */
        public Waiters(CoroServerSocket server, int n) throws Exception {
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

    /**
     * A connection whose client end has waited on the poller once (so the poller knows its channel),
     * now idle: the client end, then the accepted one.
     */
    protected static CoroSocket[] waitedOnce(CoroServerSocket server) throws Exception {
        CoroSocket c = CoroSocket.connectTo(server.localAddress());
        CoroSocket peer = server.accept();
        Coro<byte[]> r = Coro.spawn("wait-once", () -> c.recv(1));
        Coro.yieldSlice();
        peer.sendAll(new byte[]{7});
        assertEquals(1, r.join().length);
        return new CoroSocket[]{c, peer};
    }

    @Test
    public void net_aChannelClosedBehindTheSocketsBackStillWakesItsWaiter() {
        String msg = run(() -> {
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
    public void net_aCrossThreadCloseReleasesTheFdWhileTheLoopSleeps() {
        Assumptions.assumeTrue(FdLeakCheck.available(), "counts fds in /proc/self/fd, which is not here");
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
