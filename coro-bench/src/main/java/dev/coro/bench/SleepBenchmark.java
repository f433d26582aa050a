package dev.coro.bench;

import dev.coro.Coro;
import dev.coro.sync.CondVar;
import io.netty.util.HashedWheelTimer;
import io.netty.util.Timeout;
import io.netty.util.TimerTask;
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

import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * 1,000,000 sleeps with random deadlines, all pending at once, scheduled and fired (SPEC.md §6, third
 * row; target ≥ 3× ScheduledThreadPoolExecutor). The delays are uniform in [0, {@link #WINDOW_MS} ms)
 * from a fixed seed, counted from the moment each sleep is scheduled; an op is one sleep, and an
 * invocation ends when the last one has fired, so its time is at least the window plus the work.
 * <ul>
 * <li>{@code coroSleep} [switchBackend, poller]: one scheduler run spawns 1M coros, each does
 *     {@code Coro.sleepUntil(Coro.now() + delay)}; this includes each coro's spawn and finish (the way
 *     a coro sleeps), which SpawnBenchmark measures alone.
 * <li>{@code baselineScheduledThreadPoolExecutor}: {@code new ScheduledThreadPoolExecutor(1)} (one
 *     firing thread, like our one scheduler thread), {@code schedule(task, delay, NANOSECONDS)} from
 *     the benchmark thread.
 * <li>{@code baselineHashedWheelTimer} [hwtTickMillis]: Netty's {@code HashedWheelTimer}, the structure
 *     a Netty user picks for many timeouts, {@code newTimeout(task, delay, NANOSECONDS)}. 100 ms is its
 *     default tick (a deadline fires up to one tick late, and one tick moves at most 100,000 new
 *     timeouts into the wheel, so 1M take ten ticks); 1 ms is the tick a user would pick for deadlines
 *     this short. Both run; neither is the other tuned down.
 * </ul>
 * Each firing decrements a counter; the last one releases the waiter. The baselines schedule from
 * one thread and fire on another (two cores busy), ours does both on one.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class SleepBenchmark {
    static final int SLEEPS = 1_000_000;
    static final int WINDOW_MS = 100;
    static final long SEED = 42;

    /** The delays, in nanoseconds, the same for every benchmark and run. */
    @State(Scope.Benchmark)
    public static class Delays {
        long[] nanos;

        @Setup(Level.Trial)
        public void generate() {
            SplittableRandom random = new SplittableRandom(SEED);
            nanos = new long[SLEEPS];
            long window = TimeUnit.MILLISECONDS.toNanos(WINDOW_MS);
            for (int i = 0; i < SLEEPS; i++) {
                nanos[i] = random.nextLong(window);
            }
        }
    }

    @Benchmark
    @OperationsPerInvocation(SLEEPS)
    public Object coroSleep(CoroBackends s, Delays d) {
        long[] delays = d.nanos;
        return s.scheduler.run(() -> {
            int[] remaining = {SLEEPS};
            CondVar allFired = new CondVar();
            for (int i = 0; i < SLEEPS; i++) {
                long delay = delays[i];
                Coro.spawn(() -> {
                    Coro.sleepUntil(Coro.now() + delay);
                    if (--remaining[0] == 0) {
                        allFired.wakeOne();
                    }
                });
            }
            while (remaining[0] > 0) {
                allFired.await();
            }
            return remaining;
        });
    }

    @State(Scope.Benchmark)
    public static class Stpe {
        ScheduledThreadPoolExecutor executor;

        @Setup(Level.Trial)
        public void start() {
            executor = new ScheduledThreadPoolExecutor(1);
        }

        @TearDown(Level.Trial)
        public void stop() throws InterruptedException {
            executor.shutdownNow();
            executor.awaitTermination(10, TimeUnit.SECONDS);
        }
    }

    @Benchmark
    @OperationsPerInvocation(SLEEPS)
    public Object baselineScheduledThreadPoolExecutor(Stpe s, Delays d) throws InterruptedException {
        long[] delays = d.nanos;
        AtomicInteger remaining = new AtomicInteger(SLEEPS);
        CountDownLatch allFired = new CountDownLatch(1);
        Runnable fire = () -> {
            if (remaining.decrementAndGet() == 0) {
                allFired.countDown();
            }
        };
        for (int i = 0; i < SLEEPS; i++) {
            s.executor.schedule(fire, delays[i], TimeUnit.NANOSECONDS);
        }
        allFired.await();
        return remaining;
    }

    @State(Scope.Benchmark)
    public static class Wheel {
        /** 100: Netty's default tick; 1: a tick finer than these deadlines. */
        @Param({"100", "1"})
        public int hwtTickMillis;
        HashedWheelTimer timer;

        @Setup(Level.Trial)
        public void start() {
            timer = new HashedWheelTimer(hwtTickMillis, TimeUnit.MILLISECONDS);
            timer.start();
        }

        @TearDown(Level.Trial)
        public void stop() {
            timer.stop();
        }
    }

    @Benchmark
    @OperationsPerInvocation(SLEEPS)
    public Object baselineHashedWheelTimer(Wheel w, Delays d) throws InterruptedException {
        long[] delays = d.nanos;
        AtomicInteger remaining = new AtomicInteger(SLEEPS);
        CountDownLatch allFired = new CountDownLatch(1);
        TimerTask fire = (Timeout t) -> {
            if (remaining.decrementAndGet() == 0) {
                allFired.countDown();
            }
        };
        for (int i = 0; i < SLEEPS; i++) {
            w.timer.newTimeout(fire, delays[i], TimeUnit.NANOSECONDS);
        }
        allFired.await();
        return remaining;
    }
}
