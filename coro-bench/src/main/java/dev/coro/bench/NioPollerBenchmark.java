package dev.coro.bench;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import dev.coro.poll.nio.NioPollerProvider;
import dev.coro.spi.Poller;

import java.io.IOException;
import java.lang.reflect.Field;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.Pipe;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.AbstractSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Two questions about {@code NioPoller}.
 *
 * <p>{@link #selectAndVisit}: does replacing the Selector's selected-key {@code HashSet} pay off (as Netty does by reflection)?
 * One {@code selectNow} with {@code ready} channels all readable (pipes holding a byte), and a
 * visit of every selected key, three ways:
 * <ul>
 *   <li>{@code hashSet}: the JDK's set, iterated and cleared (what a plain selector loop does);</li>
 *   <li>{@code arraySet}: Netty's trick, an array-backed set swapped into {@code sun.nio.ch.SelectorImpl}
 *       (needs {@code --add-opens java.base/sun.nio.ch});</li>
 *   <li>{@code consumer}: {@code Selector.selectNow(Consumer)} (JDK 11+), which hands keys to a
 *       callback and touches no set at all: what {@code NioPoller} uses.</li>
 * </ul>
 * Scores are per select call; divide by {@code ready} for the cost per key.
 *
 * <p>{@link #pollAfterClose}: what does the {@code poll(0)} right after a channel's close cost, with
 * {@code waiters} other channels waiting (unbound UDP sockets, never readable: one fd each)? The
 * closed channel had a key (it waited once, as every socket that ever blocked has). {@code close}
 * says who closed it: {@code owner} as a coro socket does, {@code behindBack} without telling the
 * poller (only then may the poll pay for finding the closed channel among the waiters).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED")
public class NioPollerBenchmark {

    @State(Scope.Thread)
    public static class Ready {
        @Param({"16", "256", "4096"})
        public int ready;
        @Param({"hashSet", "arraySet", "consumer"})
        public String variant;

        Selector selector;
        final List<Pipe> pipes = new ArrayList<>();
        ArraySet arraySet;

        @Setup(Level.Trial)
        public void open() throws IOException, ReflectiveOperationException {
            selector = Selector.open();
            if (variant.equals("arraySet")) {
                arraySet = new ArraySet();
                Class<?> impl = Class.forName("sun.nio.ch.SelectorImpl");
                for (String name : new String[]{"selectedKeys", "publicSelectedKeys"}) {
                    Field f = impl.getDeclaredField(name);
                    f.setAccessible(true);
                    f.set(selector, arraySet);
                }
            }
            for (int i = 0; i < ready; i++) {
                Pipe p = Pipe.open();
                p.source().configureBlocking(false);
                p.sink().write(ByteBuffer.wrap(new byte[]{1})); // readable for good: nobody reads it
                p.source().register(selector, SelectionKey.OP_READ, i);
                pipes.add(p);
            }
        }

        @TearDown(Level.Trial)
        public void close() throws IOException {
            selector.close();
            for (Pipe p : pipes) {
                p.source().close();
                p.sink().close();
            }
        }
    }

    @State(Scope.Thread)
    public static class Closing {
        @Param({"0", "8000"})
        public int waiters;
        @Param({"owner", "behindBack"})
        public String close;

        Poller poller;
        final List<DatagramChannel> idle = new ArrayList<>();
        final Poller.ReadySink sink = (a, ops) -> {
            throw new IllegalStateException("nothing may be ready: " + a + " ops " + ops);
        };

        @Setup(Level.Trial)
        public void open() throws IOException {
            poller = new NioPollerProvider().open();
            for (int i = 0; i < waiters; i++) {
                DatagramChannel ch = DatagramChannel.open();
                ch.configureBlocking(false);
                poller.register(ch, Poller.READ, i);
                idle.add(ch);
            }
            poller.poll(0, sink);
        }

        /** A channel that waited once (so it has a key the selector knows), then closed: the next poll deregisters it. */
        @Setup(Level.Invocation)
        public void closeOne() throws IOException {
            DatagramChannel ch = DatagramChannel.open();
            ch.configureBlocking(false);
            poller.register(ch, Poller.READ, "churn").cancel();
            poller.poll(0, sink);
            ch.close();
            if (close.equals("owner")) {
                poller.closedByOwner(ch);
            }
        }

        @TearDown(Level.Trial)
        public void close() throws IOException {
            poller.close();
            for (DatagramChannel ch : idle) {
                ch.close();
            }
        }
    }

    @Benchmark
    public int pollAfterClose(Closing s) throws IOException {
        return s.poller.poll(0, s.sink);
    }

    @Benchmark
    public int selectAndVisit(Ready s, Blackhole bh) throws IOException {
        return switch (s.variant) {
            case "hashSet" -> hashSet(s.selector, bh);
            case "arraySet" -> arraySet(s.selector, s.arraySet, bh);
            default -> consumer(s.selector, bh);
        };
    }

    private static int hashSet(Selector sel, Blackhole bh) throws IOException {
        int n = sel.selectNow();
        Set<SelectionKey> keys = sel.selectedKeys();
        for (Iterator<SelectionKey> it = keys.iterator(); it.hasNext(); ) {
            SelectionKey k = it.next();
            it.remove();
            bh.consume(k.readyOps());
            bh.consume(k.attachment());
        }
        return n;
    }

    private static int arraySet(Selector sel, ArraySet set, Blackhole bh) throws IOException {
        int n = sel.selectNow();
        for (int i = 0; i < set.size; i++) {
            SelectionKey k = set.keys[i];
            set.keys[i] = null;
            bh.consume(k.readyOps());
            bh.consume(k.attachment());
        }
        set.size = 0;
        return n;
    }

    private static int consumer(Selector sel, Blackhole bh) throws IOException {
        return sel.selectNow(new Consumer<>() {
            @Override
            public void accept(SelectionKey k) {
                bh.consume(k.readyOps());
                bh.consume(k.attachment());
            }
        });
    }

    /** Netty's SelectedSelectionKeySet, reduced: add appends; the selector never removes. */
    static final class ArraySet extends AbstractSet<SelectionKey> {
        SelectionKey[] keys = new SelectionKey[1024];
        int size;

        @Override
        public boolean add(SelectionKey k) {
            if (size == keys.length) {
                keys = Arrays.copyOf(keys, size * 2);
            }
            keys[size++] = k;
            return true;
        }

        @Override
        public boolean contains(Object o) {
            return false; // as Netty: the selector then adds every ready key once per select
        }

        @Override
        public int size() {
            return size;
        }

        @Override
        public Iterator<SelectionKey> iterator() {
            return Arrays.asList(keys).subList(0, size).iterator();
        }
    }
}
