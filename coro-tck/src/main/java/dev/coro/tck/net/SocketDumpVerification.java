package dev.coro.tck.net;

import dev.coro.Coro;
import dev.coro.CoroDump;
import dev.coro.Scheduler;
import dev.coro.SchedulerDump;
import dev.coro.net.CoroServerSocket;
import dev.coro.net.CoroSocket;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SPEC.md §5 over a real poller: a coro waiting on a socket is dumped with the socket, its remote
 * address and the operation (accept, read, write), on every switch backend.
 *
 * <p>Rules checked ({@link dev.coro.tck.Rule}): {@code observability} (SPEC.md#observability).
 */
public abstract class SocketDumpVerification extends SocketVerificationBase {

    @Test
    public void observability_coroWaitingInAcceptRecvOrSendShowsTheSocketAndOperation() {
        try (Scheduler s = schedulerBuilder().build()) {
            s.run(() -> {
                AtomicReference<CoroSocket> accepted = new AtomicReference<>();
                try (CoroServerSocket server = CoroServerSocket.bind(LOOPBACK_ANY_PORT)) {
                    Coro<?> acceptor = Coro.spawn("acceptor", () -> {
                        accepted.set(server.accept());
                        return null;
                    });
                    CoroDump a = awaitWaiting(s, "acceptor");
                    assertEquals("socket", a.waitingFor().kind());
                    assertEquals("accept", a.waitingFor().operation());
                    assertTrue(a.waitingFor().on().contains(server.localAddress().toString()), a.waitingFor().on());
                    try (CoroSocket client = CoroSocket.connectTo(server.localAddress())) {
                        acceptor.join();
                        try (CoroSocket conn = accepted.get()) {
                            Coro<?> reader = Coro.spawn("reader", () -> conn.recv(100)); // the client sends nothing
                            CoroDump r = awaitWaiting(s, "reader");
                            assertEquals("socket", r.waitingFor().kind());
                            assertEquals("read", r.waitingFor().operation());
                            assertEquals(client.localAddress().toString(), r.waitingFor().remoteAddress(),
                                    "the reader's socket's remote end is the client");
                            assertTrue(r.waitingFor().on().startsWith("read on CoroSocket["), r.waitingFor().on());
                            assertTrue(r.waitingFor().on().contains("(in recv)"), r.waitingFor().on());

                            // The client reads nothing: a big sendAll fills the socket buffers and waits.
                            Coro<?> writer = Coro.spawn("writer", () -> conn.sendAll(new byte[64 << 20]));
                            CoroDump w = awaitWaiting(s, "writer");
                            assertEquals("write", w.waitingFor().operation());
                            assertEquals(client.localAddress().toString(), w.waitingFor().remoteAddress());
                            String text = s.dump();
                            assertTrue(text.contains("1 coro WAITING on socket:"), text);
                            reader.shutdown();
                            writer.shutdown();
                        }
                    }
                }
                return null;
            });
        }
    }

    /** Yields until coro {@code name} waits (bounded: a coro that never gets there fails the test). */
    private static CoroDump awaitWaiting(Scheduler s, String name) {
        for (int i = 0; i < 100_000; i++) {
            SchedulerDump d = s.dumpState();
            CoroDump c = d.coros().stream().filter(x -> x.name().equals(name)).findFirst().orElseThrow();
            if (c.state() == CoroDump.State.WAITING) {
                return c;
            }
            Coro.yieldSlice();
        }
        throw new AssertionError("coro '" + name + "' never reached its wait:\n" + s.dump());
    }
}
