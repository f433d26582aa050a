package dev.coro.tck.net;

import dev.coro.Coro;
import dev.coro.Scheduler;
import dev.coro.net.CoroServerSocket;
import dev.coro.net.CoroSocket;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The scheduler over the poller under test: woken by cross-thread submits (§2), selfish acts (rule 9). */
public abstract class SchedulerWithPollerVerification extends SocketVerificationBase {

    @Test
    public void api_aCrossThreadSubmitWakesAPollBlockedWithoutDeadline() {
        // main blocks in accept: no timer, so the loop waits in its poll with no timeout; only the
        // submitted coro, which connects, can end that wait.
        AtomicReference<Scheduler> sched = new AtomicReference<>();
        CompletableFuture<Object> listening = new CompletableFuture<>();
        Thread submitter = Thread.ofPlatform().start(() -> {
            Object addr = listening.join();
            sched.get().submit(() -> {
                CoroSocket.connectTo((java.net.SocketAddress) addr).close();
                return null;
            });
        });
        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
            try (Scheduler s = schedulerBuilder().build()) {
                sched.set(s);
                s.run(() -> {
                    try (CoroServerSocket server = CoroServerSocket.bind(LOOPBACK_ANY_PORT)) {
                        listening.complete(server.localAddress());
                        server.accept().close();
                    }
                    return null;
                });
            }
        });
        try {
            submitter.join();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    public void rule9_readsThatNeverBlockStillLetOtherCorosRun() {
        // Rule 9: a reader with data always available yields every 4 reads, so a counter coro advances.
        String trace = run(() -> {
            try (CoroServerSocket server = CoroServerSocket.bind(LOOPBACK_ANY_PORT);
                 CoroSocket c = CoroSocket.connectTo(server.localAddress());
                 CoroSocket s = server.accept()) {
                c.sendAll(new byte[64]);
                StringBuilder sb = new StringBuilder();
                int[] reads = {0};
                Coro<Object> other = Coro.spawn(() -> {
                    for (int i = 0; i < 3; i++) {
                        sb.append(reads[0]).append(' ');
                        Coro.yieldSlice();
                    }
                    return null;
                });
                for (int i = 0; i < 16; i++) {
                    s.recvExact(4);
                    reads[0]++;
                }
                other.join();
                return sb.toString().trim();
            }
        });
        // The first slice also counts the reader's earlier non-blocking calls (sendAll, accept).
        String[] p = trace.split(" ");
        int first = Integer.parseInt(p[0]);
        assertTrue(first <= 4, "at most 4 selfish acts before the first yield: " + trace);
        assertEquals(first + 4, Integer.parseInt(p[1]), "then exactly 4 reads per slice: " + trace);
        assertEquals(first + 8, Integer.parseInt(p[2]), "then exactly 4 reads per slice: " + trace);
    }

    @Test
    public void rule9_anAcceptorDrainsItsBacklogInBurstsOf16() {
        // Rule 9 for accept: 16 accepts in a row (not 4) before a yield, so that a burst of connects
        // leaves the backlog quickly, and still a yield, so that a flood cannot hold the loop.
        String trace = run(() -> {
            try (CoroServerSocket server = CoroServerSocket.bind(LOOPBACK_ANY_PORT)) {
                java.util.List<CoroSocket> clients = new java.util.ArrayList<>();
                java.util.List<CoroSocket> accepted = new java.util.ArrayList<>();
                try {
                    for (int i = 0; i < 40; i++) {
                        clients.add(CoroSocket.connectTo(server.localAddress())); // connected: in the backlog
                    }
                    StringBuilder sb = new StringBuilder();
                    Coro<Object> other = Coro.spawn(() -> {
                        for (int i = 0; i < 3; i++) {
                            sb.append(accepted.size()).append(' ');
                            Coro.yieldSlice();
                        }
                        return null;
                    });
                    for (int i = 0; i < 40; i++) {
                        accepted.add(server.accept());
                    }
                    other.join();
                    return sb.toString().trim();
                } finally {
                    for (CoroSocket c : clients) {
                        c.close();
                    }
                    for (CoroSocket c : accepted) {
                        c.close();
                    }
                }
            }
        });
        assertEquals("16 32 40", trace, "accepts between the other coro's slices");
    }
}
