package dev.coro.bench;

import dev.coro.Coro;
import dev.coro.sync.CondVar;
import dev.coro.sync.Fifo;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.TimeUnit;

/**
 * Producer–consumer hand-off of {@link #ITEMS} items between two coroutines (SPEC.md §6 has no target
 * row; the issue asks for it). An op is one item produced, handed over and consumed.
 * <ul>
 * <li>{@code coroFifoHandoff} [switchBackend, poller]: a {@code Fifo(1)} (bounded, the closest to a
 *     rendezvous) between a producer coro and a consumer coro.
 * <li>{@code coroCondVarHandoff} [switchBackend, poller]: a one-slot mailbox guarded by two CondVars
 *     (not full / not empty), as a user builds a rendezvous by hand.
 * <li>{@code baselineSynchronousQueueVirtualThreads}: {@code SynchronousQueue.put/take} between two
 *     virtual threads on the JDK's default scheduler (one carrier per core: both cores here), what a
 *     user would write.
 * <li>{@code baselineSynchronousQueueVirtualThreadsOneCarrier}: the same two virtual threads on one
 *     carrier (a single-thread executor, through {@link CustomVirtualThreads}), as ours runs on one
 *     thread.
 * </ul>
 * Caveat: SynchronousQueue spins a little before parking, which pays off with two carriers on two
 * free cores and not on a shared machine.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class HandoffBenchmark {
    static final int ITEMS = 100_000;
    private static final Object ITEM = new Object();

    @Benchmark
    @OperationsPerInvocation(ITEMS)
    public Object coroFifoHandoff(CoroBackends s) {
        return s.scheduler.run(() -> {
            Fifo<Object> fifo = new Fifo<>(1);
            Coro<?> producer = Coro.spawn(() -> {
                for (int i = 0; i < ITEMS; i++) {
                    fifo.push(ITEM);
                }
            });
            Object last = null;
            for (int i = 0; i < ITEMS; i++) {
                last = fifo.pop();
            }
            producer.join();
            return last;
        });
    }

    @Benchmark
    @OperationsPerInvocation(ITEMS)
    public Object coroCondVarHandoff(CoroBackends s) {
        return s.scheduler.run(() -> {
            CondVar notFull = new CondVar();
            CondVar notEmpty = new CondVar();
            Object[] slot = new Object[1];
            Coro<?> producer = Coro.spawn(() -> {
                for (int i = 0; i < ITEMS; i++) {
                    while (slot[0] != null) {
                        notFull.await();
                    }
                    slot[0] = ITEM;
                    notEmpty.wakeOne();
                }
            });
            Object last = null;
            for (int i = 0; i < ITEMS; i++) {
                while (slot[0] == null) {
                    notEmpty.await();
                }
                last = slot[0];
                slot[0] = null;
                notFull.wakeOne();
            }
            producer.join();
            return last;
        });
    }

    @Benchmark
    @OperationsPerInvocation(ITEMS)
    public Object baselineSynchronousQueueVirtualThreads() throws InterruptedException {
        return handOff(Thread.ofVirtual());
    }

    /** One carrier thread for the one-carrier baseline. */
    @State(Scope.Thread)
    public static class OneCarrier {
        ExecutorService carrier;
        Thread.Builder.OfVirtual builder;

        @Setup(Level.Trial)
        public void start() {
            carrier = Executors.newSingleThreadExecutor();
            builder = CustomVirtualThreads.builder(carrier);
        }

        @TearDown(Level.Trial)
        public void stop() {
            carrier.shutdown();
        }
    }

    @Benchmark
    @OperationsPerInvocation(ITEMS)
    public Object baselineSynchronousQueueVirtualThreadsOneCarrier(OneCarrier c) throws InterruptedException {
        return handOff(c.builder);
    }

    private static Object handOff(Thread.Builder builder) throws InterruptedException {
        SynchronousQueue<Object> queue = new SynchronousQueue<>();
        Object[] last = new Object[1];
        Thread producer = builder.start(() -> {
            try {
                for (int i = 0; i < ITEMS; i++) {
                    queue.put(ITEM);
                }
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        Thread consumer = builder.start(() -> {
            try {
                for (int i = 0; i < ITEMS; i++) {
                    last[0] = queue.take();
                }
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        producer.join();
        consumer.join();
        return last[0];
    }
}
