package dev.coro.bench.ab;

import dev.coro.Coro;
import dev.coro.Scheduler;
import dev.coro.bench.Workloads;
import dev.coro.net.CoroServerSocket;
import dev.coro.net.CoroSocket;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * What {@link SameJvmAb} times, loaded once per build under test (each copy of this class sees its
 * own build's coro classes): one scheduler run of {@code ops} operations, in ns per operation.
 * <ul>
 * <li>{@code yield}: {@code Coro.yieldSlice()} in one coro, as {@code SwitchBenchmark.coroYieldSlice};
 * <li>{@code condvar}: a CondVar ping-pong between two coros, per hand-off;
 * <li>{@code echo}: {@code connections} loopback connections in the run (default
 *     {@value #ECHO_CONNECTIONS}), the server ends on {@code recv}/{@code sendAll(byte[])} as the
 *     example's echo server, per 32-byte round trip (both ends' work).
 * <li>{@code timers}: {@value #SLEEPERS} coros under virtual time, each sleeping
 *     {@code ops / }{@value #SLEEPERS} times for a random delay under a second (fixed seeds), per
 *     sleep: the timer heap at {@value #SLEEPERS} entries (an add, and a pop from the root), plus the
 *     wake-up and switch each sleep costs anyway.
 * </ul>
 * Called reflectively, so only JDK types cross the class-loader boundary.
 */
public final class AbProbes {
    static final int ECHO_CONNECTIONS = 200;
    static final int SLEEPERS = 100_000;
    private static Scheduler scheduler, virtualTimeScheduler;
    private static String schedulerSwitch;

    private AbProbes() {
    }

    public static double run(String probe, String switchName, int ops, int connections) throws Exception {
        Thread.currentThread().setContextClassLoader(AbProbes.class.getClassLoader()); // its ServiceLoader
        if (scheduler == null || !switchName.equals(schedulerSwitch)) {
            scheduler = Scheduler.builder().switcher(switchName).poller("nio").latencyWarning(Duration.ZERO).build();
            virtualTimeScheduler = Scheduler.builder().switcher(switchName).poller("nio").virtualTime()
                    .latencyWarning(Duration.ZERO).build();
            schedulerSwitch = switchName;
        }
        long t0 = System.nanoTime();
        long done = switch (probe) {
            case "yield" -> scheduler.run(() -> {
                for (int i = 0; i < ops; i++) {
                    Coro.yieldSlice();
                }
                return (long) ops;
            });
            case "condvar" -> scheduler.run(() -> Workloads.condVarPingPong(Math.max(1, ops / 2)));
            case "echo" -> scheduler.run(() -> echo(connections, Math.max(1, ops / connections)));
            case "timers" -> virtualTimeScheduler.run(() -> timers(Math.max(1, ops / SLEEPERS)));
            default -> throw new IllegalArgumentException("unknown probe '" + probe + "' (yield, condvar, echo, timers)");
        };
        return (System.nanoTime() - t0) / (double) done;
    }

    private static long timers(int perSleeper) {
        List<Coro<?>> sleepers = new ArrayList<>(SLEEPERS);
        for (int k = 0; k < SLEEPERS; k++) {
            SplittableRandom random = new SplittableRandom(k);
            sleepers.add(Coro.spawn(() -> {
                for (int i = 0; i < perSleeper; i++) {
                    Coro.sleep(Duration.ofNanos(random.nextLong(1_000_000_000L)));
                }
            }));
        }
        for (Coro<?> c : sleepers) {
            c.join();
        }
        return (long) perSleeper * SLEEPERS;
    }

    private static long echo(int connections, int perConnection) throws IOException {
        try (CoroServerSocket server = CoroServerSocket.bind(
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 4 * connections)) {
            Coro<?> acceptor = Coro.spawn(() -> {
                for (int k = 0; k < connections; k++) {
                    CoroSocket c = server.accept();
                    Coro.spawn(() -> {
                        try (c) {
                            return Workloads.echoServerArrays(c);
                        }
                    });
                }
                return null;
            });
            List<Coro<?>> clients = new ArrayList<>();
            for (int k = 0; k < connections; k++) {
                clients.add(Coro.spawn(() -> {
                    try (CoroSocket client = CoroSocket.connectTo(server.localAddress())) {
                        Workloads.echoClient(client, perConnection, 32);
                    }
                    return null;
                }));
            }
            for (Coro<?> c : clients) {
                c.join();
            }
            acceptor.join();
        }
        return (long) perConnection * connections;
    }
}
