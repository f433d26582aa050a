package dev.coro.examples.c10k;

import dev.coro.Coro;
import dev.coro.CoroTimeoutException;
import dev.coro.examples.c10k.ServerProcess.ServerStats;
import dev.coro.net.CoroSocket;
import dev.coro.sync.CondVar;
import dev.coro.sync.InvertedSemaphore;
import dev.coro.sync.Semaphore;

import java.io.IOException;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * Process 2's load: one client coro per connection, all on the caller's scheduler. Phases: ramp-up
 * (every client connects and does one echo, then waits; at most {@code pending} connects are
 * unanswered at once, so the server's accept queue never overflows, and no echo traffic competes with
 * the connects), the measured window (every client echoes for {@code duration}, one message in flight
 * per connection), then the hold (every connection still open, each client idle, while the server is
 * measured), then close. Invariants: a connection counts as open only after its first echo
 * came back intact, and every connect that failed or was never tried is counted as such; latencies are
 * recorded only inside the window. All state is touched by the one scheduler thread only.
 */
final class LoadGenerator {
    /**
     * After this many failed connects no new one starts: the clients still waiting count as not attempted
     * (a dead server costs a few failures, not one timeout per connection).
     */
    static final int MAX_CONNECT_FAILURES = 100;

    private final DemoOptions options;
    private final SocketAddress target;
    private final Progress progress;
    private final Duration timeout;
    private final LatencyHistogram windowLatency = new LatencyHistogram();

    private final Semaphore pending;
    private final InvertedSemaphore ramping;
    private final InvertedSemaphore busy = new InvertedSemaphore();
    private final CondVar go = new CondVar();
    private final CondVar hold = new CondVar();

    private int open;
    private int peak;
    private int connectFailures;
    private int notAttempted;
    private int exchangeErrors;
    private String firstConnectFailure;
    private String firstExchangeError;
    private long messages;
    private int opened; // connections that ever opened: the ramp-up's rate
    private boolean measuring;
    private boolean stopping;
    private long startNanos;
    private long windowStartNanos;

    LoadGenerator(DemoOptions options, SocketAddress target, Progress progress) {
        this.options = options;
        this.target = target;
        this.progress = progress;
        this.timeout = Duration.ofNanos((long) (options.connectTimeoutSeconds() * 1e9));
        this.pending = new Semaphore(options.pending());
        this.ramping = new InvertedSemaphore(options.connections());
    }

    /** What one run measured; {@code server} is null when nothing could be asked. */
    record Result(int connections, int peak, int openAtHold, int connectFailures, int notAttempted,
                  int exchangeErrors, String firstConnectFailure, String firstExchangeError, double rampSeconds,
                  long windowMessages, double windowSeconds, double p50Nanos, double p99Nanos, double p999Nanos,
                  ServerStats server) {
        double messagesPerSecond() {
            return windowSeconds > 0 ? windowMessages / windowSeconds : 0;
        }

        int errors() {
            return connectFailures + notAttempted + exchangeErrors;
        }
    }

    /** Runs every phase; call it as (or from) a coro. {@code serverStats} is asked during the hold. */
    Result run(Callable<ServerStats> serverStats) throws Exception {
        startNanos = System.nanoTime();
        List<Coro<Void>> clients = new ArrayList<>(options.connections());
        for (int i = 0; i < options.connections(); i++) {
            int id = i;
            clients.add(Coro.spawn("client " + i, () -> client(id)));
        }
        Coro<Void> ticker = Coro.spawn("progress", this::tick);
        ramping.awaitZero(); // every client has opened its connection or given up
        double rampSeconds = (System.nanoTime() - startNanos) / 1e9;
        progress.settle(line("ramp-up", rampSeconds, opened / Math.max(rampSeconds, 1e-9)));

        windowStartNanos = System.nanoTime();
        measuring = true;
        go.wakeAll(null);
        Coro.sleep(Duration.ofNanos((long) (options.durationSeconds() * 1e9)));
        measuring = false;
        double windowSeconds = (System.nanoTime() - windowStartNanos) / 1e9;
        ticker.shutdown();
        progress.settle(line("echo", windowSeconds, windowLatency.count() / windowSeconds));

        stopping = true;
        try {
            busy.awaitZero(timeout.plusSeconds(1)); // each message in flight comes back or times out first
        } catch (CoroTimeoutException stuck) {
            // a client is still waiting (its own timeout counts it as an error): measure the rest anyway
        }
        int openAtHold = open;
        ServerStats stats = Coro.blocking(serverStats);
        hold.wakeAll(null);
        for (Coro<Void> c : clients) {
            c.join();
        }
        return new Result(options.connections(), peak, openAtHold, connectFailures, notAttempted, exchangeErrors,
                firstConnectFailure, firstExchangeError, rampSeconds, windowLatency.count(), windowSeconds,
                windowLatency.quantile(0.5), windowLatency.quantile(0.99), windowLatency.quantile(0.999), stats);
    }

    private Void client(int id) {
        byte[] message = message(id);
        CoroSocket socket = connect(message);
        if (socket == null) {
            return null; // counted by connect
        }
        open++;
        opened++;
        peak = Math.max(peak, open);
        try (socket) {
            busy.acquire();
            try {
                if (!measuring) {
                    go.await(); // the window starts when every connect is done
                }
                while (!stopping) {
                    exchange(socket, message);
                }
            } finally {
                busy.release();
            }
            hold.await(); // stay connected until the server has been measured
        } catch (IOException | CoroTimeoutException e) {
            exchangeErrors++;
            if (firstExchangeError == null) {
                firstExchangeError = describe(e);
            }
        } finally {
            open--;
        }
        return null;
    }

    /** Connects and does the first echo; null if either failed (counted) or was not tried. */
    private CoroSocket connect(byte[] message) {
        pending.acquire();
        CoroSocket socket = null;
        try {
            if (connectFailures >= MAX_CONNECT_FAILURES) {
                notAttempted++;
                return null;
            }
            socket = CoroSocket.connectTo(target, timeout);
            socket.setNoDelay(true);
            socket.setTimeout(timeout); // each later wait too: a stalled server is an error, not a hang
            exchange(socket, message);
            return socket;
        } catch (IOException | CoroTimeoutException e) {
            connectFailures++;
            if (firstConnectFailure == null) {
                firstConnectFailure = describe(e);
            }
            if (socket != null) {
                socket.close(); // the first echo failed: do not leave a half-used connection open
            }
            return null;
        } finally {
            pending.release();
            ramping.release();
        }
    }

    private void exchange(CoroSocket socket, byte[] message) throws IOException {
        long t0 = System.nanoTime();
        socket.sendAll(message);
        byte[] echo = socket.recvExact(message.length);
        long nanos = System.nanoTime() - t0;
        if (!Arrays.equals(message, echo)) {
            throw new IOException("the echo differs from the message sent");
        }
        messages++;
        if (measuring) {
            windowLatency.record(nanos);
        }
    }

    /** Each connection its own bytes (printable, from its id), so a crossed echo is caught. */
    private byte[] message(int id) {
        byte[] m = new byte[options.size()];
        for (int i = 0; i < m.length; i++) {
            m[i] = (byte) ('a' + (id * 31 + i) % 26);
        }
        return m;
    }

    private Void tick() {
        long lastMessages = messages;
        long lastOpened = opened;
        long lastNanos = System.nanoTime();
        while (true) {
            Coro.sleep(Duration.ofNanos(progress.intervalNanos()));
            long now = System.nanoTime();
            double seconds = (now - lastNanos) / 1e9;
            progress.show(measuring ? line("echo", (now - windowStartNanos) / 1e9, (messages - lastMessages) / seconds)
                    : line("ramp-up", (now - startNanos) / 1e9, (opened - lastOpened) / seconds));
            lastMessages = messages;
            lastOpened = opened;
            lastNanos = now;
        }
    }

    /**
     * One progress line; {@code rate} is connects/s in the ramp-up, messages/s in the window (over the last
     * interval, or the whole phase).
     */
    private String line(String phase, double seconds, double rate) {
        boolean echo = phase.equals("echo");
        String time = echo
                ? String.format(Locale.ROOT, "%5.1f/%s s", seconds, trim(options.durationSeconds()))
                : String.format(Locale.ROOT, "%5.1f s", seconds);
        String failed = connectFailures + notAttempted > 0
                ? String.format(Locale.ROOT, ", %,d connects failed", connectFailures + notAttempted) : "";
        String errors = exchangeErrors > 0 ? String.format(Locale.ROOT, ", %,d errors", exchangeErrors) : "";
        String load = echo ? String.format(Locale.ROOT, ", %,.0f msg/s, p99 %s", rate,
                windowLatency.count() == 0 ? "-" : millis(windowLatency.quantile(0.99)))
                : String.format(Locale.ROOT, ", %,.0f connects/s", rate);
        return String.format(Locale.ROOT, "%-7s %s: %,d/%,d open%s%s%s", phase, time, open, options.connections(),
                failed, errors, load);
    }

    static String millis(double nanos) {
        return String.format(Locale.ROOT, "%.2f ms", nanos / 1e6);
    }

    private static String trim(double seconds) {
        return seconds == Math.rint(seconds) ? String.valueOf((long) seconds) : String.valueOf(seconds);
    }

    private static String describe(Throwable e) {
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }
}
