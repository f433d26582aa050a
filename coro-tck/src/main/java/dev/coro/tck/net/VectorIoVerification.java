package dev.coro.tck.net;

import dev.coro.Coro;
import dev.coro.net.CoroServerSocket;
import dev.coro.net.CoroSocket;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Scatter/gather: data crossing buffer boundaries, empty buffers, short arrivals and EOF mid-buffer. */
public abstract class VectorIoVerification extends SocketVerificationBase {

    @Test
    public void net_writevThenReadvAcrossDifferentBoundaries() {
        run(() -> {
            try (CoroServerSocket server = CoroServerSocket.bind(LOOPBACK_ANY_PORT);
                 CoroSocket c = CoroSocket.connectTo(server.localAddress());
                 CoroSocket s = server.accept()) {
                byte[] all = new byte[300_000];
                for (int i = 0; i < all.length; i++) {
                    all[i] = (byte) (i * 31);
                }
                // Written as 0, 1, 7, 0, 100_000, the rest; read back as 3, 0, 250_000, the rest.
                int[] wcuts = {0, 1, 7, 0, 100_000, all.length - 100_008};
                ByteBuffer[] out = slices(all, wcuts);
                Coro<Long> writer = Coro.spawn(() -> c.writev(out));
                ByteBuffer[] in = {ByteBuffer.allocate(3), ByteBuffer.allocate(0), ByteBuffer.allocate(250_000),
                        ByteBuffer.allocate(all.length - 250_003)};
                assertEquals(all.length, s.readv(in));
                assertEquals(all.length, writer.join());
                assertArrayEquals(all, concat(in));
            }
            return null;
        });
    }

    @Test
    public void net_readvReturnsThePrefixAtEof() {
        run(() -> {
            try (CoroServerSocket server = CoroServerSocket.bind(LOOPBACK_ANY_PORT);
                 CoroSocket c = CoroSocket.connectTo(server.localAddress());
                 CoroSocket s = server.accept()) {
                Coro<byte[][]> reader = Coro.spawn(() -> s.readv(2, 3, 4));
                c.sendAll("ab".getBytes());
                Coro.yieldSlice(); // the reader gets the first buffer's worth and waits again
                c.sendAll("cd".getBytes());
                c.shutdownOutput();
                byte[][] got = reader.join();
                assertEquals(2, got.length);
                assertArrayEquals("ab".getBytes(), got[0]);
                assertArrayEquals("cd".getBytes(), got[1], "the partial second buffer");
                assertEquals(-1, s.readv(ByteBuffer.allocate(1)), "EOF before any byte");
            }
            return null;
        });
    }

    private static ByteBuffer[] slices(byte[] all, int[] cuts) {
        ByteBuffer[] b = new ByteBuffer[cuts.length];
        int at = 0;
        for (int i = 0; i < cuts.length; i++) {
            b[i] = ByteBuffer.wrap(all, at, cuts[i]).slice();
            at += cuts[i];
        }
        assertEquals(all.length, at);
        return b;
    }

    private static byte[] concat(ByteBuffer[] bufs) {
        byte[] out = new byte[0];
        for (ByteBuffer b : bufs) {
            int n = out.length;
            out = Arrays.copyOf(out, n + b.position());
            System.arraycopy(b.array(), 0, out, n, b.position());
        }
        return out;
    }
}
