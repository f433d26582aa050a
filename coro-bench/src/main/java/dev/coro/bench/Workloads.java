package dev.coro.bench;

import dev.coro.Coro;
import dev.coro.net.CoroSocket;
import dev.coro.sync.CondVar;

import java.io.IOException;
import java.nio.ByteBuffer;

/** Coro workloads that more than one benchmark runs; each is called inside a coro of a running scheduler. */
public final class Workloads {
    private Workloads() {
    }

    /**
     * Two coros hand a turn to each other through two CondVars, {@code rounds} times each way;
     * returns the hand-offs (wake + switch to the other coro): {@code 2 * rounds}.
     */
    public static long condVarPingPong(int rounds) {
        CondVar ping = new CondVar();
        CondVar pong = new CondVar();
        Coro<?> other = Coro.spawn(() -> {
            for (int i = 0; i < rounds; i++) {
                pong.await();
                ping.wakeOne();
            }
        });
        Coro.yieldSlice(); // let the other one wait first
        for (int i = 0; i < rounds; i++) {
            pong.wakeOne();
            ping.await();
        }
        other.join();
        return 2L * rounds;
    }

    /**
     * The client end of an echo: {@code messages} messages of {@code size} bytes (at least 4: a
     * counter), each read back before the next, then a half-close; returns the sum of the counters
     * that came back.
     */
    public static long echoClient(CoroSocket client, int messages, int size) throws IOException {
        ByteBuffer out = ByteBuffer.allocateDirect(size);
        ByteBuffer in = ByteBuffer.allocateDirect(size);
        long sum = 0;
        for (int i = 0; i < messages; i++) {
            out.clear().putInt(0, i);
            client.sendAll(out);
            in.clear();
            while (in.hasRemaining()) {
                if (client.recvInto(in) < 0) {
                    throw new IOException("echo ended early, at round trip " + i);
                }
            }
            sum += in.getInt(0);
        }
        client.shutdownOutput();
        return sum;
    }

    /**
     * The server end of an echo on the array API, as {@code dev.coro.examples.EchoServer} is
     * ({@code recv(int)}, {@code sendAll(byte[])}): echoes until the end of the stream; returns the
     * bytes echoed.
     */
    public static long echoServerArrays(CoroSocket c) throws IOException {
        long total = 0;
        byte[] data;
        while ((data = c.recv(8192)).length > 0) {
            c.sendAll(data);
            total += data.length;
        }
        return total;
    }
}
