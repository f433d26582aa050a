package dev.coro.bench;

import dev.coro.Coro;
import dev.coro.Scheduler;
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
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Switch round trips (SPEC.md §6, first row): each backend's bare resume+suspend, the same through
 * the scheduler (a coro's yieldSlice: timer heap and pass included), and the baselines — a raw
 * {@code Continuation} run+yield and a platform-thread handoff; a CondVar ping-pong gives the
 * scheduler's own wake-and-resume round trip.
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
        public String switcher;
        SwitchBackend backend;
        Coroutine coroutine;

        @Setup(Level.Trial)
        public void open() {
            SwitchProvider p = ServiceLoader.load(SwitchProvider.class).stream().map(ServiceLoader.Provider::get)
                    .filter(x -> x.name().equals(switcher)).findFirst().orElseThrow();
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
    public Object backendRoundTrip(Backend s) {
        return s.backend.resume(s.coroutine);
    }

    /** A scheduler whose main yields {@link #YIELDS} times per invocation. */
    @State(Scope.Thread)
    public static class Sched {
        @Param({"native", "loom"})
        public String switcher;
        Scheduler scheduler;

        @Setup(Level.Trial)
        public void build() {
            scheduler = Scheduler.builder().switcher(switcher).latencyWarning(java.time.Duration.ZERO).build();
        }
    }

    static final int YIELDS = 100_000;

    @Benchmark
    @OperationsPerInvocation(YIELDS)
    public Object yieldSliceThroughScheduler(Sched s) {
        return s.scheduler.run(() -> {
            for (int i = 0; i < YIELDS; i++) {
                Coro.yieldSlice();
            }
            return null;
        });
    }

    /**
     * Two coros hand a turn to each other through CondVars: each op is one wake + resume, the
     * scheduler's own round trip without the timer heap (batches of the run phase only).
     */
    @Benchmark
    @OperationsPerInvocation(2 * YIELDS)
    public Object condVarPingPongThroughScheduler(Sched s) {
        return s.scheduler.run(() -> {
            dev.coro.sync.CondVar ping = new dev.coro.sync.CondVar();
            dev.coro.sync.CondVar pong = new dev.coro.sync.CondVar();
            Coro<?> other = Coro.spawn(() -> {
                for (int i = 0; i < YIELDS; i++) {
                    pong.await();
                    ping.wakeOne();
                }
            });
            Coro.yieldSlice(); // let the other one wait first
            for (int i = 0; i < YIELDS; i++) {
                pong.wakeOne();
                ping.await();
            }
            other.join();
            return null;
        });
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
    public Object rawContinuationRunYield(RawContinuation s) {
        s.cont.run();
        return s.cont;
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
    public int platformThreadHandoff(PlatformPingPong s) {
        s.driver = Thread.currentThread();
        s.turn = 1;
        LockSupport.unpark(s.partner);
        while (s.turn != 0) {
            LockSupport.park();
        }
        return s.turn;
    }
}
