package dev.coro.bench;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import dev.coro.poll.kqueue.KqueuePollerProvider;
import dev.coro.poll.nio.NioPollerProvider;
import dev.coro.spi.Poller;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.nio.channels.Selector;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The cost of one non-waiting poll with nothing ready, four ways: a raw {@code kevent} through JNA
 * direct mapping with an empty changelist and a zero timeout ({@code keventDirect}), the same
 * through the {@code kqueue} poller ({@code kqueuePoll0}), {@code Selector.selectNow()}
 * ({@code selectNow}) and the {@code nio} poller ({@code nioPoll0}).
 *
 * <p>On Linux kevent is the test shim's ({@code -Dcoro.kqueue.library=.../libkqueue-shim.so}, built
 * by coro-poll-kqueue's tests into its target/native/): a mutex and an {@code epoll_wait(0)} under
 * the JNA call, so {@code keventDirect - selectNow} is about JNA's direct call plus the shim's
 * bookkeeping, an upper bound for JNA's share. On FreeBSD/macOS it is libc's kevent.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class KqueuePollerBenchmark {

    /** Direct mapping of kqueue/kevent/close, as coro-poll-kqueue's binding (which is package-private). */
    static final class Kq {
        static {
            String lib = System.getProperty("coro.kqueue.library", "c");
            Native.register(Kq.class, NativeLibrary.getInstance(lib,
                    lib.equals("c") ? Map.of() : Map.of(com.sun.jna.Library.OPTION_OPEN_FLAGS, 2)));
        }

        static native int kqueue();

        static native int kevent(int kq, long changelist, int nchanges, long eventlist, int nevents, long timeout);

        static native int close(int fd);
    }

    private int kq = -1;
    private Memory events, zero;
    private long eventsAddr, zeroAddr;
    private Selector selector;
    private Poller kqueuePoller, nioPoller;
    private final Poller.ReadySink sink = (a, ops) -> { };

    @Setup
    public void setUp() throws IOException {
        kq = Kq.kqueue();
        if (kq < 0) {
            throw new IOException("kqueue() failed: errno " + Native.getLastError());
        }
        events = new Memory(64L * 64);
        zero = new Memory(16);
        zero.clear();
        eventsAddr = Pointer.nativeValue(events);
        zeroAddr = Pointer.nativeValue(zero);
        selector = Selector.open();
        kqueuePoller = new KqueuePollerProvider().open();
        nioPoller = new NioPollerProvider().open();
    }

    @TearDown
    public void tearDown() throws IOException {
        Kq.close(kq);
        events.close();
        zero.close();
        selector.close();
        kqueuePoller.close();
        nioPoller.close();
    }

    @Benchmark
    public int keventDirect() {
        return Kq.kevent(kq, 0, 0, eventsAddr, 64, zeroAddr);
    }

    @Benchmark
    public int selectNow() throws IOException {
        return selector.selectNow();
    }

    @Benchmark
    public int kqueuePoll0() throws IOException {
        return kqueuePoller.poll(0, sink);
    }

    @Benchmark
    public int nioPoll0() throws IOException {
        return nioPoller.poll(0, sink);
    }
}
