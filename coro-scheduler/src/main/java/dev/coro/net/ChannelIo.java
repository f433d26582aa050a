package dev.coro.net;

import dev.coro.scheduler.NetSupport;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectableChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.Objects;

/**
 * The calls a coro socket makes on its channel to move bytes, accept and close: the JDK's own, or a
 * test's replacement that injects faults (coro-tck's {@code dev.coro.tck.faults.FaultInjector}).
 * Not for production use.
 *
 * <p>A socket ({@link CoroSocket}, {@link CoroServerSocket}) takes its {@code ChannelIo} once, when it
 * is made: from the poller of the scheduler run it is made in, if that poller is a {@link Source},
 * else {@link #direct()}. A socket made outside any run (before {@code Scheduler.run}, or on another
 * thread) always has {@link #direct()}. The default costs nothing on the I/O path: one shared
 * instance of a final class whose methods are the channel's calls, which the JIT inlines while no
 * other subclass is loaded; nothing is allocated per call.
 *
 * <p>A replacement stands in for the channel call it is given, and may do what a real network does to
 * it: return 0 (or null from {@code accept}) although the poller said ready (the socket then waits on
 * the poller and tries again), move fewer bytes than asked, throw the {@link IOException} the channel
 * would throw (a reset: {@code "Connection reset by peer"}, which the socket raises as
 * {@link ConnectionResetException}; out of descriptors on accept: {@code "Too many open files"}, which
 * {@link CoroServerSocket} backs off from), or take its time to close. It must report exactly what it
 * did: a count it returns is what it moved, in order.
 */
public abstract class ChannelIo {

    /** For subclasses: test replacements. */
    protected ChannelIo() {
    }

    /** A poller that chooses the I/O of every socket made in its run. */
    public interface Source {
        /**
         * The I/O of a socket over {@code channel}, made now in this poller's run (on the scheduler
         * thread); never null ({@link #direct()} for a socket to leave alone).
         */
        ChannelIo channelIo(SelectableChannel channel);
    }

    /** The JDK's own calls, shared by every socket whose run's poller is not a {@link Source}. */
    public static ChannelIo direct() {
        return Direct.INSTANCE;
    }

    /** {@code ch.read(dst)}. */
    public abstract int read(SocketChannel ch, ByteBuffer dst) throws IOException;

    /** {@code ch.read(dsts, offset, length)}. */
    public abstract long read(SocketChannel ch, ByteBuffer[] dsts, int offset, int length) throws IOException;

    /** {@code ch.write(src)}. */
    public abstract int write(SocketChannel ch, ByteBuffer src) throws IOException;

    /** {@code ch.write(srcs, offset, length)}. */
    public abstract long write(SocketChannel ch, ByteBuffer[] srcs, int offset, int length) throws IOException;

    /** {@code ch.accept()}: a connection, or null if none is waiting. */
    public abstract SocketChannel accept(ServerSocketChannel ch) throws IOException;

    /** {@code ch.close()}. */
    public abstract void close(SelectableChannel ch) throws IOException;

    /** The I/O of a socket over {@code channel} made now, on {@code loop} (or outside any run: null). */
    static ChannelIo forNewSocket(Object loop, SelectableChannel channel) {
        if (loop != null && NetSupport.poller(loop) instanceof Source s) {
            return Objects.requireNonNull(s.channelIo(channel), "ChannelIo.Source.channelIo returned null");
        }
        return Direct.INSTANCE;
    }

    /** The channel's own calls. */
    private static final class Direct extends ChannelIo {
        static final Direct INSTANCE = new Direct();

        @Override
        public int read(SocketChannel ch, ByteBuffer dst) throws IOException {
            return ch.read(dst);
        }

        @Override
        public long read(SocketChannel ch, ByteBuffer[] dsts, int offset, int length) throws IOException {
            return ch.read(dsts, offset, length);
        }

        @Override
        public int write(SocketChannel ch, ByteBuffer src) throws IOException {
            return ch.write(src);
        }

        @Override
        public long write(SocketChannel ch, ByteBuffer[] srcs, int offset, int length) throws IOException {
            return ch.write(srcs, offset, length);
        }

        @Override
        public SocketChannel accept(ServerSocketChannel ch) throws IOException {
            return ch.accept();
        }

        @Override
        public void close(SelectableChannel ch) throws IOException {
            ch.close();
        }

        @Override
        public String toString() {
            return "ChannelIo.direct()";
        }
    }
}
