package dev.coro.bench;

import dev.coro.Coro;
import dev.coro.net.CoroServerSocket;
import dev.coro.net.CoroSocket;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

/**
 * Allocation per steady-state echo round trip on the server's buffer paths (issue 13: zero): one
 * scheduler runs an echo server coro ({@code recvInto} / {@code sendAll(ByteBuffer)} with buffers
 * of its own) and a client coro doing the same, over one loopback connection, 32 bytes one at a
 * time. An op is one round trip: two reads, two writes and (as nobody's data is there yet when each
 * side reads) two waits on the poller and two switches each way. Read {@code gc.alloc.rate.norm} from
 * {@code -prof gc}; time per op is a by-product.
 *
 * <p>Caveat: each invocation opens the connection and starts the two coros again; that setup (a few
 * KiB) is spread over {@link #ROUND_TRIPS} round trips, well under 1 B/op.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class EchoAllocationBenchmark {
    static final int ROUND_TRIPS = 100_000;
    private static final int SIZE = 32;

    @Benchmark
    @OperationsPerInvocation(ROUND_TRIPS)
    public long coroEchoRoundTrip(CoroBackends s) {
        return echo(s, EchoAllocationBenchmark::serve);
    }

    /**
     * {@link #coroEchoRoundTrip} with the server on the array API, as {@code dev.coro.examples.EchoServer}
     * is: {@code recv(int)} and {@code sendAll(byte[])}. The floor is {@code recv}'s result, one array of
     * the bytes that came (48 B for 32), which that API hands out by design.
     */
    @Benchmark
    @OperationsPerInvocation(ROUND_TRIPS)
    public long coroEchoRoundTripArrays(CoroBackends s) {
        return echo(s, Workloads::echoServerArrays);
    }

    /** A server end: echoes until the end of the stream, returns the bytes echoed. */
    @FunctionalInterface
    private interface ServerEnd {
        long serve(CoroSocket c) throws IOException;
    }

    /** One invocation: {@code server} on one end of a loopback connection, {@link Workloads#echoClient} on the other. */
    private static long echo(CoroBackends s, ServerEnd server) {
        return s.scheduler.run(() -> {
            try (CoroServerSocket listener = CoroServerSocket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
                Coro<Long> echo = Coro.spawn("echo", () -> {
                    try (CoroSocket c = listener.accept()) {
                        return server.serve(c);
                    }
                });
                try (CoroSocket client = CoroSocket.connectTo(listener.localAddress())) {
                    return Workloads.echoClient(client, ROUND_TRIPS, SIZE) + echo.join();
                }
            }
        });
    }

    /** Echoes until the end of the stream; returns the bytes echoed. */
    private static long serve(CoroSocket c) throws IOException {
        ByteBuffer buf = ByteBuffer.allocateDirect(8192);
        long total = 0;
        int n;
        while ((n = c.recvInto(buf.clear())) > 0) {
            buf.flip();
            c.sendAll(buf);
            total += n;
        }
        return total;
    }
}
