package dev.coro.bench;

import dev.coro.Scheduler;
import dev.coro.sync.Fifo;
import dev.coro.sync.Mutex;
import dev.coro.sync.Semaphore;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * Uncontended dev.coro.sync operations inside one coro: Mutex lock+unlock, Semaphore acquire+release,
 * Fifo push+pop. Each invocation is one scheduler run doing {@link #OPS} of them, so the run's own
 * start-up is spread over many operations; run with {@code -prof gc} to see {@code gc.alloc.rate.norm}
 * (bytes per operation), which should be ~0: nothing on these paths allocates.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class SyncBenchmark {
    static final int OPS = 100_000;

    @State(Scope.Thread)
    public static class Sched {
        @Param({"native", "loom"})
        public String switchBackend;
        Scheduler scheduler;

        @Setup(Level.Trial)
        public void build() {
            scheduler = Scheduler.builder().switcher(switchBackend).latencyWarning(java.time.Duration.ZERO).build();
        }

        @TearDown(Level.Trial)
        public void close() {
            scheduler.close();
        }
    }

    @Benchmark
    @OperationsPerInvocation(OPS)
    public Object mutexLockUnlock(Sched s) {
        return s.scheduler.run(() -> {
            Mutex m = new Mutex(); // a primitive binds to one run: a fresh one per run
            for (int i = 0; i < OPS; i++) {
                m.lock();
                m.unlock();
            }
            return m;
        });
    }

    @Benchmark
    @OperationsPerInvocation(OPS)
    public Object semaphoreAcquireRelease(Sched s) {
        return s.scheduler.run(() -> {
            Semaphore sem = new Semaphore(1);
            for (int i = 0; i < OPS; i++) {
                sem.acquire();
                sem.release();
            }
            return sem;
        });
    }

    @Benchmark
    @OperationsPerInvocation(OPS)
    public Object fifoPushPop(Sched s) {
        return s.scheduler.run(() -> {
            Fifo<Object> f = new Fifo<>();
            Object item = f;
            for (int i = 0; i < OPS; i++) {
                f.push(item);
                f.pop();
            }
            return f;
        });
    }
}
