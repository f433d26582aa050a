package dev.coro.bench;

import dev.coro.Coro;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * Spawn + finish of 1,000,000 coros (SPEC.md §6, second row; target ≥ 2× the baseline). An op is one
 * coro (or thread) started, run to its end and joined; each invocation does {@link #TOTAL} of them
 * in batches of {@link #BATCH} (start the batch, then join it in order), the same shape on both sides.
 * <ul>
 * <li>{@code coroSpawnJoin} [switchBackend, poller]: {@code Coro.spawn} of an empty body inside one
 *     scheduler run, then {@code join}.
 * <li>{@code baselineVirtualThreadStartJoin}: {@code Thread.ofVirtual().start} of an empty body on the
 *     JDK's default scheduler (a ForkJoinPool of one carrier per core: both cores here), then
 *     {@code join} — what a user would write.
 * </ul>
 * Caveat: the baseline may use every core, ours one thread; the ratio is per wall time.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class SpawnBenchmark {
    static final int TOTAL = 1_000_000;
    static final int BATCH = 1_000;
    private static final Runnable EMPTY = () -> { };

    @Benchmark
    @OperationsPerInvocation(TOTAL)
    public Object coroSpawnJoin(CoroBackends s) {
        return s.scheduler.run(() -> {
            Coro<?>[] batch = new Coro<?>[BATCH];
            for (int done = 0; done < TOTAL; done += BATCH) {
                for (int i = 0; i < BATCH; i++) {
                    batch[i] = Coro.spawn(EMPTY);
                }
                for (int i = 0; i < BATCH; i++) {
                    batch[i].join();
                }
            }
            return batch;
        });
    }

    @Benchmark
    @OperationsPerInvocation(TOTAL)
    public Object baselineVirtualThreadStartJoin() throws InterruptedException {
        Thread[] batch = new Thread[BATCH];
        Thread.Builder builder = Thread.ofVirtual();
        for (int done = 0; done < TOTAL; done += BATCH) {
            for (int i = 0; i < BATCH; i++) {
                batch[i] = builder.start(EMPTY);
            }
            for (int i = 0; i < BATCH; i++) {
                batch[i].join();
            }
        }
        return batch;
    }
}
