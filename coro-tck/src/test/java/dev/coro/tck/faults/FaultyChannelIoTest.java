package dev.coro.tck.faults;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One socket's faulty I/O over a real (blocking) loopback connection, without a scheduler: a seed
 * makes the same decisions for the same calls; what it reports is what moved; a reset is sticky
 * and sets SO_LINGER 0; EMFILE has the JDK's message.
 */
class FaultyChannelIoTest {

    /** 300 writes of 7 bytes through a socket's faulty I/O: what each returned (0: EAGAIN), and the bytes the peer got. */
    private static List<Long> script(long seed, List<Byte> received) throws IOException {
        try (FaultInjector f = FaultInjector.install(FaultPlan.over("nio").seed(seed).eagainStorms(0.1).oneByteWrites(0.3));
             ServerSocketChannel server = ServerSocketChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
             SocketChannel a = SocketChannel.open(server.getLocalAddress());
             SocketChannel b = server.accept()) {
            FaultyChannelIo io = new FaultyChannelIo(f, a, new SplittableRandom(FaultInjectingPoller.streamSeed(seed, 0, 0)), "a");
            List<Long> outcomes = new ArrayList<>();
            byte next = 0;
            long sent = 0;
            for (int i = 0; i < 300; i++) {
                ByteBuffer src = ByteBuffer.allocate(7);
                for (int j = 0; j < 7; j++) {
                    src.put(j, (byte) (next + j));
                }
                long n = i % 2 == 0 ? io.write(a, src) : io.write(a, new ByteBuffer[]{src}, 0, 1);
                outcomes.add(n);
                next += (byte) n;
                sent += n;
            }
            assertEquals(f.count(Fault.ONE_BYTE_WRITE), outcomes.stream().filter(n -> n == 1).count());
            assertEquals(f.count(Fault.EAGAIN), outcomes.stream().filter(n -> n == 0).count());
            ByteBuffer in = ByteBuffer.allocate((int) sent);
            while (in.hasRemaining()) {
                b.read(in);
            }
            for (byte x : in.array()) {
                received.add(x);
            }
            return outcomes;
        }
    }

    @Test
    void theSameSeedMakesTheSameDecisionsAndNothingIsLost() throws IOException {
        List<Byte> got1 = new ArrayList<>(), got2 = new ArrayList<>(), got3 = new ArrayList<>();
        List<Long> first = script(42, got1);
        assertEquals(first, script(42, got2));
        assertNotEquals(first, script(43, got3), "another seed, other decisions");
        assertTrue(first.contains(0L) && first.contains(1L) && first.contains(7L), "storms, 1-byte and whole writes: " + first);
        // Every byte arrives once, in order: the peer reads 0, 1, 2, … (mod 256).
        for (int i = 0; i < got1.size(); i++) {
            assertEquals((byte) i, got1.get(i), "byte " + i);
        }
        assertEquals(got1, got2);
    }

    @Test
    void aResetIsStickySetsLingerZeroAndSaysItWasInjected() throws IOException {
        try (FaultInjector f = FaultInjector.install(FaultPlan.over("nio").seed(1).resets(1, 50));
             ServerSocketChannel server = ServerSocketChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
             SocketChannel a = SocketChannel.open(server.getLocalAddress());
             SocketChannel b = server.accept()) {
            FaultyChannelIo io = new FaultyChannelIo(f, a, new SplittableRandom(9), "a");
            long moved = 0;
            SocketException reset = null;
            for (int i = 0; i < 100 && reset == null; i++) {
                try {
                    moved += io.write(a, ByteBuffer.wrap(new byte[]{1}));
                } catch (SocketException e) {
                    reset = e;
                }
            }
            assertNotNull(reset, "reset within 50 bytes");
            assertTrue(moved < 50, "reset after " + moved + " bytes");
            assertEquals("Connection reset by peer", reset.getMessage());
            InjectedFault why = InjectedFault.in(reset);
            assertEquals(Fault.RESET, why.kind());
            assertTrue(why.getMessage().contains("seed 1"), why.getMessage());
            assertThrows(SocketException.class, () -> io.read(a, ByteBuffer.allocate(1)), "later reads fail too");
            assertEquals(0, a.getOption(StandardSocketOptions.SO_LINGER));
            assertTrue(f.wasReset(a) && !f.wasReset(b));
            assertEquals(1, f.count(Fault.RESET));
            ByteBuffer in = ByteBuffer.allocate((int) moved);
            while (in.hasRemaining()) {
                b.read(in);
            }
            byte[] ones = new byte[(int) moved];
            java.util.Arrays.fill(ones, (byte) 1);
            assertArrayEquals(ones, in.array(), "the peer got every byte written before the reset");
        }
    }

    @Test
    void emfileOnAcceptHasTheJdkMessageAndLeavesTheConnectionWaiting() throws IOException {
        try (FaultInjector f = FaultInjector.install(FaultPlan.over("nio").seed(1).emfileOnAccept(1));
             ServerSocketChannel server = ServerSocketChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
             SocketChannel a = SocketChannel.open(server.getLocalAddress())) {
            FaultyChannelIo io = new FaultyChannelIo(f, server, new SplittableRandom(9), "server");
            IOException e = assertThrows(IOException.class, () -> io.accept(server));
            assertTrue(e.getMessage().startsWith("Too many open files"), e.getMessage());
            assertEquals(Fault.EMFILE, InjectedFault.in(e).kind());
            f.pause();
            try (SocketChannel s = io.accept(server)) {
                assertNotNull(s, "paused: the connection that waited in the backlog is accepted");
            }
            assertEquals(1, f.count(Fault.EMFILE));
        }
    }
}
