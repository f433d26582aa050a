package dev.coro.tck.net;

import dev.coro.Coro;
import dev.coro.Scheduler;
import dev.coro.net.CoroServerSocket;
import dev.coro.net.CoroSocket;
import dev.coro.net.SocketClosedException;
import dev.coro.spi.SwitchProvider;
import dev.coro.tck.FdLeakCheck;
import dev.coro.tck.RuleNamingExtension;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Base of the socket verifications ({@code dev.coro.net} over a real scheduler, SPEC.md §2 and §7):
 * a poller's test class extends one of them and names its poller in {@link #pollerName()}. Each
 * verification is a {@code @ParameterizedClass} over {@link #switchBackends()}: every switch
 * backend on the test class path (an unavailable one fails, naming why, rather than being left
 * out); a test class may hide that static method with one of its own to choose.
 *
 * <p>Every test is named after the {@link dev.coro.tck.Rule} it checks ({@code net_}, {@code
 * reliability_}, {@code api_}, {@code rule7_}, {@code rule9_}), fails naming it, and runs under a
 * hang bound ({@link RuleNamingExtension}); {@link FdLeakCheck} fails a test that leaves an fd open.
 * {@link #run} runs a body as main of a fresh scheduler and closes it, so every fd and coro is gone
 * when the fd check runs.
 */
@ParameterizedClass(name = "switch {0}")
@MethodSource("switchBackends")
@ExtendWith({FdLeakCheck.class, RuleNamingExtension.class})
public abstract class SocketVerificationBase implements FdLeakCheck.WarmUp {
    /** A loopback address with port 0 (any free port). */
    protected static final SocketAddress LOOPBACK_ANY_PORT = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);

    private static final Set<String> WARMED = ConcurrentHashMap.newKeySet();

    /** The switch backend of this instance, one of {@link #switchBackends()}. */
    @Parameter
    protected String switcher;

    /** The name of the poller under test, as {@code Scheduler.builder().poller(name)} takes it. */
    protected abstract String pollerName();

    /** The names of every switch backend that {@link ServiceLoader} finds (the parameters of every verification). */
    public static List<String> switchBackends() {
        List<String> names = ServiceLoader.load(SwitchProvider.class).stream().map(p -> p.get().name()).sorted().toList();
        if (names.isEmpty()) {
            throw new IllegalStateException("no switch backend (dev.coro.spi.SwitchProvider) on the test class path");
        }
        return names;
    }

    /** How long a test may take before it counts as hung (a bound, not a timing assertion). */
    protected Duration hangBound() {
        return Duration.ofSeconds(120);
    }

    /** A scheduler builder with this instance's switch backend and the poller under test. */
    protected Scheduler.Builder schedulerBuilder() {
        return Scheduler.builder().switcher(switcher).poller(pollerName()).name("test-" + pollerName() + "-" + switcher);
    }

    /** Runs {@code main} as main of a fresh scheduler from {@link #schedulerBuilder()}, then closes it. */
    protected <T> T run(Callable<T> main) {
        try (Scheduler s = schedulerBuilder().build()) {
            return s.run(main);
        }
    }

    /**
     * Starts an echo server coro on a loopback port: each connection's bytes are sent back until the
     * client's end of stream. Closing the returned socket ends the acceptor.
     */
    protected static CoroServerSocket echoServer() throws IOException {
        CoroServerSocket server = CoroServerSocket.bind(LOOPBACK_ANY_PORT, 1024);
        Coro.spawn("echo-acceptor", () -> {
            try {
                while (true) {
                    CoroSocket conn = server.accept();
                    Coro.spawn("echo", () -> echo(conn));
                }
            } catch (SocketClosedException done) {
                return null; // the test closed the server
            }
        });
        return server;
    }

    /** Sends back what {@code conn} receives until its end of stream, then closes it. */
    protected static Void echo(CoroSocket conn) throws IOException {
        try (conn) {
            byte[] data;
            while ((data = conn.recv(16 * 1024)).length > 0) {
                conn.sendAll(data);
            }
        }
        return null;
    }

    /** {@link #warmUp(String, String)} of this instance's poller and switch. */
    @Override
    public void warmUp() throws Exception {
        warmUp(pollerName(), switcher);
    }

    /**
     * Once per poller and switch in this JVM: one echo round trip and a sleep on a scheduler with
     * them, so that what they keep open for good after first use is open before {@link FdLeakCheck}
     * counts. A poller or switch that cannot run here is left alone (the test itself then fails or is
     * skipped, saying why).
     *
     * @param poller the poller's name
     * @param switcher the switch backend's name
     * @throws Exception if the round trip fails
     */
    public static void warmUp(String poller, String switcher) throws Exception {
        if (!WARMED.add(poller + "/" + switcher)) {
            return;
        }
        Scheduler s;
        try {
            s = Scheduler.builder().switcher(switcher).poller(poller).name("fd-warm-up").build();
        } catch (RuntimeException unavailable) {
            return;
        }
        try (s) {
            s.run(() -> {
                try (CoroServerSocket server = echoServer(); CoroSocket c = CoroSocket.connectTo(server.localAddress())) {
                    c.sendAll(new byte[]{1});
                    c.recvExact(1);
                }
                Coro.sleep(Duration.ofMillis(1));
                return null;
            });
        }
    }
}
