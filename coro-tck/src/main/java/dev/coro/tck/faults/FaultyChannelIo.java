package dev.coro.tck.faults;

import dev.coro.net.ChannelIo;

import java.io.IOException;
import java.net.SocketException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectableChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.SplittableRandom;

/**
 * One socket's I/O under a {@link FaultPlan}. Invariants: a count returned is what the channel moved
 * (a fault moves nothing, or less); {@link #storm} is the number of calls left in the current EAGAIN
 * storm; once {@link #reset} is set every read and write fails. All but {@link #close} run on the
 * socket's scheduler thread (one call at a time); {@code close} may come from any thread.
 */
final class FaultyChannelIo extends ChannelIo {
    private final FaultInjector injector;
    private final FaultPlan plan;
    private final SplittableRandom random;
    private final String name;
    /** Bytes moved (read plus written) after which the socket is reset, or -1: never. */
    private final long resetAfter;
    private long moved;
    private int storm;
    private boolean reset;

    FaultyChannelIo(FaultInjector injector, SelectableChannel channel, SplittableRandom random, String name) {
        this.injector = injector;
        this.plan = injector.plan();
        this.random = random;
        this.name = name;
        this.resetAfter = channel instanceof SocketChannel && chance(plan.resets())
                ? random.nextLong(plan.resetWithinBytes()) : -1;
    }

    @Override
    public int read(SocketChannel ch, ByteBuffer dst) throws IOException {
        failIfReset(ch);
        if (wouldBlock()) {
            return 0;
        }
        return moved(ch.read(dst));
    }

    @Override
    public long read(SocketChannel ch, ByteBuffer[] dsts, int offset, int length) throws IOException {
        failIfReset(ch);
        if (wouldBlock()) {
            return 0;
        }
        return moved(ch.read(dsts, offset, length));
    }

    @Override
    public int write(SocketChannel ch, ByteBuffer src) throws IOException {
        failIfReset(ch);
        if (wouldBlock()) {
            return 0;
        }
        if (src.remaining() > 1 && chance(plan.oneByteWrites())) {
            return moved(oneByte(ch, src));
        }
        return moved(ch.write(src));
    }

    @Override
    public long write(SocketChannel ch, ByteBuffer[] srcs, int offset, int length) throws IOException {
        failIfReset(ch);
        if (wouldBlock()) {
            return 0;
        }
        long remaining = 0;
        ByteBuffer first = null;
        for (int i = offset; i < offset + length; i++) {
            remaining += srcs[i].remaining();
            if (first == null && srcs[i].hasRemaining()) {
                first = srcs[i];
            }
        }
        if (remaining > 1 && chance(plan.oneByteWrites())) {
            return moved(oneByte(ch, first));
        }
        return moved(ch.write(srcs, offset, length));
    }

    @Override
    public SocketChannel accept(ServerSocketChannel ch) throws IOException {
        if (chance(plan.emfileOnAccept())) {
            injector.injected(Fault.EMFILE);
            // The message the JDK gives EMFILE, which CoroServerSocket recognises and backs off from.
            IOException e = new IOException("Too many open files (injected by coro-tck's FaultInjector)");
            e.initCause(new InjectedFault(Fault.EMFILE, "EMFILE injected into an accept of " + name + ", seed "
                    + plan.seed()));
            throw e;
        }
        if (wouldBlock()) {
            return null;
        }
        return ch.accept();
    }

    @Override
    public void close(SelectableChannel ch) throws IOException {
        HeldClose hold = injector.takeHold(ch);
        if (hold != null) {
            injector.injected(Fault.HELD_CLOSE);
            hold.hold();
        }
        ch.close();
    }

    private int oneByte(SocketChannel ch, ByteBuffer src) throws IOException {
        int limit = src.limit();
        src.limit(src.position() + 1);
        try {
            int n = ch.write(src);
            if (n > 0) {
                injector.injected(Fault.ONE_BYTE_WRITE);
            }
            return n;
        } finally {
            src.limit(limit);
        }
    }

    /** One call of an EAGAIN storm (a storm may start here): the call returns 0 without touching the channel. */
    private boolean wouldBlock() {
        if (storm == 0) {
            if (!chance(plan.eagainStorms())) {
                return false;
            }
            storm = 1 + random.nextInt(FaultPlan.MAX_STORM);
        }
        storm--;
        injector.injected(Fault.EAGAIN);
        return true;
    }

    private int moved(int n) {
        return (int) moved((long) n);
    }

    private long moved(long n) {
        if (n > 0) {
            moved += n;
        }
        return n;
    }

    private void failIfReset(SocketChannel ch) throws IOException {
        if (!reset && resetAfter >= 0 && moved >= resetAfter && injector.active()) {
            reset = true;
            injector.injected(Fault.RESET);
            injector.recordReset(ch);
            try {
                ch.setOption(StandardSocketOptions.SO_LINGER, 0); // its close resets the peer, as after a real reset
            } catch (IOException | RuntimeException closedMeanwhile) {
                // nothing to tell the peer
            }
        }
        if (reset) {
            // The JDK's message for ECONNRESET, which CoroSocket raises as ConnectionResetException.
            SocketException e = new SocketException("Connection reset by peer");
            e.initCause(new InjectedFault(Fault.RESET, "ECONNRESET injected into " + name + " after " + resetAfter
                    + " bytes, seed " + plan.seed()));
            throw e;
        }
    }

    private boolean chance(double p) {
        return p > 0 && injector.active() && random.nextDouble() < p;
    }

    @Override
    public String toString() {
        return "faulty I/O of " + name;
    }
}
