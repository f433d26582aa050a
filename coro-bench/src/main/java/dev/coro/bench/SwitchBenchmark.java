package dev.coro.bench;

import dev.coro.Coro;
import dev.coro.spi.Coroutine;
import dev.coro.spi.SwitchBackend;
import dev.coro.spi.SwitchHost;
import dev.coro.spi.SwitchProvider;
import jdk.internal.vm.Continuation;
import jdk.internal.vm.ContinuationScope;
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

import java.util.ServiceLoader;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Switch round trips (SPEC.md §6, first row), ours and the baselines in one run. Each op is one
 * suspend + resume of one coroutine unless said otherwise.
 * <ul>
 * <li>{@code coroBackendResumeSuspend} [switchBackend]: the switch backend bare (no scheduler).
 * <li>{@code coroYieldSlice} [switchBackend, poller]: {@code Coro.yieldSlice()} through the scheduler
 *     (timer heap, run queue and I/O phase included), 100,000 per run.
 * <li>{@code coroCondVarPingPong} [switchBackend, poller]: two coros hand a turn to each other
 *     through two CondVars; an op is one hand-off (wake + switch to the other coro).
 * <li>{@code baselineRawContinuation}: {@code jdk.internal.vm.Continuation} run + yield — the floor
 *     of the native switch (target: native ≤ 1.3× this).
 * <li>{@code baselineVirtualThreadYield}: a raw virtual thread whose scheduler is an executor that
 *     keeps the submitted task and lets the benchmark thread run it: an op is one mount, a
 *     {@code Thread.yield()}, unmount and re-submit — the floor of the loom switch (target: loom
 *     ≤ 1.3× this). Built with {@link CustomVirtualThreads}, as coro-switch-loom does.
 * <li>{@code baselineVirtualThreadPingPong}: two raw virtual threads on a single-thread executor
 *     hand a turn to each other with park/unpark; an op is one hand-off, as in coroCondVarPingPong.
 * <li>{@code baselinePlatformThreadRoundTrip}: two platform threads, park/unpark; an op is a full
 *     round trip (two hand-offs: there and back), the cost a thread-per-task design pays.
 * </ul>
 * Caveat: on a 2-core machine shared with other work the platform round trip depends on whether both
 * threads get a core (spinning is not used).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class SwitchBenchmark {

    /** One backend coroutine that suspends for ever; each op is one resume of it. */
    @State(Scope.Thread)
    public static class Backend {
        @Param({"native", "loom"})
        public String switchBackend;
        SwitchBackend backend;
        Coroutine coroutine;

        @Setup(Level.Trial)
        public void open() {
            SwitchProvider p = ServiceLoader.load(SwitchProvider.class).stream().map(ServiceLoader.Provider::get)
                    .filter(x -> x.name().equals(switchBackend)).findFirst().orElseThrow();
            Thread me = Thread.currentThread();
            backend = p.open(new SwitchHost() {
                @Override
                public Thread schedulerThread() {
                    return me;
                }

                @Override
                public void wakeup(Coroutine c) {
                }
            });
            SwitchBackend b = backend;
            coroutine = backend.create("bench", () -> {
                while (true) {
                    b.suspend();
                }
            }, null);
            backend.resume(coroutine);
        }

        @TearDown(Level.Trial)
        public void close() {
            backend.close();
        }
    }

    @Benchmark
    public Object coroBackendResumeSuspend(Backend s) {
        return s.backend.resume(s.coroutine);
    }

    static final int YIELDS = 100_000;

    @Benchmark
    @OperationsPerInvocation(YIELDS)
    public Object coroYieldSlice(CoroBackends s) {
        return s.scheduler.run(() -> {
            for (int i = 0; i < YIELDS; i++) {
                Coro.yieldSlice();
            }
            return null;
        });
    }

    @Benchmark
    @OperationsPerInvocation(2 * YIELDS)
    public Object coroCondVarPingPong(CoroBackends s) {
        return s.scheduler.run(() -> Workloads.condVarPingPong(YIELDS));
    }

    /** Baseline: the bare VM continuation, run + yield. */
    @State(Scope.Thread)
    public static class RawContinuation {
        static final ContinuationScope SCOPE = new ContinuationScope("bench");
        Continuation cont;

        @Setup(Level.Trial)
        public void create() {
            cont = new Continuation(SCOPE, () -> {
                while (true) {
                    Continuation.yield(SCOPE);
                }
            });
        }
    }

    @Benchmark
    public Object baselineRawContinuation(RawContinuation s) {
        s.cont.run();
        return s.cont;
    }

    /**
     * Baseline: a virtual thread whose scheduler keeps the one task it is given; the benchmark thread
     * runs it (mount, run to {@code Thread.yield()}, unmount, re-submit).
     */
    @State(Scope.Thread)
    public static class VirtualThreadYield {
        Runnable next;
        volatile boolean stop;
        Thread vt;

        @Setup(Level.Trial)
        public void start() {
            vt = CustomVirtualThreads.builder(task -> next = task).name("bench-vt").unstarted(() -> {
                while (!stop) {
                    Thread.yield();
                }
            });
            vt.start(); // submits its first task: next
        }

        @TearDown(Level.Trial)
        public void stop() throws InterruptedException {
            stop = true;
            while (vt.isAlive() && next != null) {
                step();
            }
            vt.join();
        }

        void step() {
            Runnable r = next;
            next = null;
            r.run();
        }
    }

    @Benchmark
    public Object baselineVirtualThreadYield(VirtualThreadYield s) {
        s.step();
        return s.next;
    }

    /** Baseline: two virtual threads on one carrier (a single-thread executor) ping-pong with park/unpark. */
    @State(Scope.Thread)
    public static class VirtualThreadPingPong {
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
    @OperationsPerInvocation(2 * YIELDS)
    public Object baselineVirtualThreadPingPong(VirtualThreadPingPong s) throws InterruptedException {
        AtomicInteger turn = new AtomicInteger();
        Thread[] pair = new Thread[2];
        pair[1] = s.builder.unstarted(() -> {
            for (int i = 0; i < YIELDS; i++) {
                while (turn.get() != 1) {
                    LockSupport.park();
                }
                turn.set(0);
                LockSupport.unpark(pair[0]);
            }
        });
        pair[0] = s.builder.unstarted(() -> {
            for (int i = 0; i < YIELDS; i++) {
                turn.set(1);
                LockSupport.unpark(pair[1]);
                while (turn.get() != 0) {
                    LockSupport.park();
                }
            }
        });
        pair[1].start();
        pair[0].start();
        pair[0].join();
        pair[1].join();
        return turn;
    }

    /** Baseline: a handoff between two platform threads (park/unpark ping-pong). */
    @State(Scope.Benchmark)
    public static class PlatformPingPong {
        volatile int turn;
        Thread partner;
        Thread driver;
        volatile boolean stop;

        @Setup(Level.Trial)
        public void start() {
            partner = Thread.ofPlatform().daemon().start(() -> {
                while (!stop) {
                    while (turn != 1 && !stop) {
                        LockSupport.park();
                    }
                    turn = 0;
                    LockSupport.unpark(driver);
                }
            });
        }

        @TearDown(Level.Trial)
        public void stop() throws InterruptedException {
            stop = true;
            LockSupport.unpark(partner);
            partner.join();
        }
    }

    @Benchmark
    public int baselinePlatformThreadRoundTrip(PlatformPingPong s) {
        s.driver = Thread.currentThread();
        s.turn = 1;
        LockSupport.unpark(s.partner);
        while (s.turn != 0) {
            LockSupport.park();
        }
        return s.turn;
    }
}
