package dev.coro.poll.kqueue;

import dev.coro.Coro;
import dev.coro.Scheduler;
import dev.coro.net.CoroServerSocket;
import dev.coro.net.CoroSocket;
import dev.coro.net.SocketClosedException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.Parameter;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.concurrent.Callable;

/**
 * Base of the socket tests: each concrete class is a {@code @ParameterizedClass} over the switch
 * backends and gets {@link #switcher}; {@link #run} runs a body as main of a fresh scheduler with
 * the kqueue poller and closes it, so every fd and coro is gone when the fd check runs.
 */
@ExtendWith(FdLeakCheck.class)
abstract class NetTestSupport {
    static final SocketAddress LOOPBACK_ANY_PORT = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);

    @Parameter
    String switcher;

    @BeforeEach
    void requireKqueue() {
        KqueueShim.require();
    }

    <T> T run(Callable<T> main) {
        try (Scheduler s = Scheduler.builder().switcher(switcher).poller("kqueue").name("kq-" + switcher).build()) {
            return s.run(main);
        }
    }

    /** An echo server coro on a loopback port; closing the returned socket ends the acceptor. */
    static CoroServerSocket echoServer() throws IOException {
        CoroServerSocket server = CoroServerSocket.bind(LOOPBACK_ANY_PORT, 1024);
        Coro.spawn("echo-acceptor", () -> {
            try {
                while (true) {
                    CoroSocket conn = server.accept();
                    Coro.spawn("echo", () -> echo(conn));
                }
            } catch (SocketClosedException done) {
                return null;
            }
        });
        return server;
    }

    static Void echo(CoroSocket conn) throws IOException {
        try (conn) {
            byte[] data;
            while ((data = conn.recv(16 * 1024)).length > 0) {
                conn.sendAll(data);
            }
        }
        return null;
    }

    /** Opens, once per JVM, what the JVM keeps open for good after first use, so fd counts compare equal. */
    static void warmUp() throws Exception {
        java.nio.file.Files.delete(java.nio.file.Files.createTempDirectory("coro-warmup"));
        java.nio.channels.Selector.open().close();
        if (KqueueNative.unavailableReason().isPresent()) {
            return;
        }
        for (String sw : new String[]{"native", "loom"}) {
            try (Scheduler s = Scheduler.builder().switcher(sw).poller("kqueue").build()) {
                s.run(() -> {
                    try (CoroServerSocket server = echoServer(); CoroSocket c = CoroSocket.connectTo(server.localAddress())) {
                        c.sendAll(new byte[]{1});
                        c.recvExact(1);
                    }
                    Coro.sleep(java.time.Duration.ofMillis(1));
                    return null;
                });
            }
        }
    }
}
