package dev.coro.examples.c10k;

import dev.coro.Coro;
import dev.coro.Scheduler;
import dev.coro.examples.c10k.LoadGenerator.Result;
import dev.coro.net.CoroServerSocket;
import dev.coro.net.CoroSocket;
import dev.coro.net.SocketClosedException;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A connect that fails, or that the kernel accepts but no one answers, never counts as an open connection. */
class LoadGeneratorTest {

    private static Result load(InetSocketAddress target, String... flags) throws Exception {
        DemoOptions o = DemoOptions.parse(flags);
        Progress progress = new Progress(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), false);
        return new LoadGenerator(o, target, progress).run(() -> null);
    }

    /** A loopback port nothing listens on: bound, then closed (its number is not reused at once). */
    private static InetSocketAddress refusedPort() throws Exception {
        try (CoroServerSocket s = CoroServerSocket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            return (InetSocketAddress) s.localAddress();
        }
    }

    @Test
    void refusedConnectsAreFailuresAndTheRestAreNotAttempted() {
        int n = LoadGenerator.MAX_CONNECT_FAILURES + 30;
        Result r = Scheduler.builder().build().run(() -> load(refusedPort(), "--connections", String.valueOf(n),
                "--duration", "0.1", "--pending", "8"));
        assertEquals(0, r.peak());
        assertEquals(0, r.openAtHold());
        // Connects already under way when the cap is reached still fail on their own: at most --pending more.
        assertTrue(r.connectFailures() >= LoadGenerator.MAX_CONNECT_FAILURES
                && r.connectFailures() < LoadGenerator.MAX_CONNECT_FAILURES + 8, "failed: " + r.connectFailures());
        assertEquals(n - r.connectFailures(), r.notAttempted());
        assertEquals(n, r.errors());
        assertEquals(0, r.windowMessages());
        assertTrue(r.firstConnectFailure().contains("ConnectException"), r.firstConnectFailure());
        assertNull(r.server());
    }

    @Test
    void aConnectionTheServerNeverEchoesOnIsNotOpen() {
        Result r = Scheduler.builder().build().run(() -> {
            try (CoroServerSocket silent = CoroServerSocket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
                List<CoroSocket> held = new ArrayList<>();
                Coro.spawn("silent acceptor", () -> {
                    try {
                        while (true) {
                            held.add(silent.accept()); // accepted by the kernel and by us, never answered
                        }
                    } catch (SocketClosedException closed) {
                        return null;
                    }
                });
                Result result = load((InetSocketAddress) silent.localAddress(), "--connections", "5",
                        "--duration", "0.1", "--connect-timeout", "0.2");
                held.forEach(CoroSocket::close);
                return result;
            }
        });
        assertEquals(0, r.peak());
        assertEquals(5, r.connectFailures());
        assertTrue(r.firstConnectFailure().contains("CoroTimeoutException"), r.firstConnectFailure());
    }

    @Test
    void histogramQuantilesAreWithinItsStatedError() {
        LatencyHistogram h = new LatencyHistogram();
        for (long v = 1; v <= 100_000; v++) {
            h.record(v * 1_000);
        }
        for (double q : new double[] {0.5, 0.99, 0.999, 1.0}) {
            double exact = Math.ceil(q * 100_000) * 1_000;
            assertTrue(Math.abs(h.quantile(q) - exact) <= exact * LatencyHistogram.RELATIVE_ERROR,
                    q + ": " + h.quantile(q) + " vs " + exact);
        }
        assertEquals(100_000, h.count());
    }
}
