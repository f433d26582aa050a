package dev.coro.bench.echo;

import dev.coro.Coro;
import dev.coro.CoroTimeoutException;
import dev.coro.net.CoroSocket;
import dev.coro.sync.InvertedSemaphore;
import dev.coro.sync.Semaphore;

import java.io.IOException;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.StandardSocketOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.zip.CRC32;

/**
 * The soak's clients ({@link EchoSoak}): one coro per client slot, all on the caller's scheduler (never
 * a thread per connection). A slot lives connection after connection ("lives") until {@link #stop}:
 * each life connects, picks a role by its slot's seeded random, and reconnects when it ends (churn):
 * <ul>
 * <li>clean (most): messages of log-uniform random size (1 B to {@code --max-size}), each after a
 * random idle time, in chunks of {@value #CHUNK} bytes, each chunk's echo read back before the next;
 * at the end of its life it half-closes, reads the server's end of stream, and compares the bytes and
 * CRC-32 it sent with what came back;
 * <li>reset ({@code --resets}): as clean, until a random moment of its life, then it writes part of a
 * message without reading its echo and closes with SO_LINGER 0 (a reset, data in flight both ways);
 * <li>slowloris ({@code --slowloris}): one byte every 1 to {@code --slowloris-gap} s, each echo
 * checked; ends like a clean one.
 * </ul>
 * Every byte of life {@code id} at stream position {@code p} is {@link #expected}{@code (id, p)}, so each
 * echoed byte is checked as it comes (a late, crossed or corrupt echo never matches), and the CRC-32s
 * compare whole streams. Every failure (a connect, a wrong byte, an unexpected end, a wait past
 * {@link #IO_TIMEOUT}) is counted as an error. All state is touched by the one scheduler thread only.
 */
final class SoakLoad {
    enum Role { CLEAN, RESET, SLOWLORIS }

    static final int CHUNK = 16 * 1024;
    /** Any one wait for the server: longer is a stalled server, an error, not a hang. */
    static final Duration IO_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    private static final int ERRORS_KEPT = 10;

    private final SoakOptions o;
    private final SocketAddress target;
    private final Semaphore pending;
    private final InvertedSemaphore slotsRunning = new InvertedSemaphore();
    private boolean stopping;
    private int nextLife;

    private int open;
    private long lives;
    private long cleanLives;
    private long resetLives;
    private long slowlorisLives;
    private long messages;
    private long bytesVerified;
    private long errors;
    private final List<String> firstErrors = new ArrayList<>();

    SoakLoad(SoakOptions o, SocketAddress target) {
        this.o = o;
        this.target = target;
        this.pending = new Semaphore(o.pending());
    }

    /** The client figures so far. */
    record Counts(int open, long lives, long cleanLives, long resetLives, long slowlorisLives, long messages,
                  long bytesVerified, long errors) {
    }

    Counts counts() {
        return new Counts(open, lives, cleanLives, resetLives, slowlorisLives, messages, bytesVerified, errors);
    }

    List<String> firstErrors() {
        return List.copyOf(firstErrors);
    }

    /** Spawns the slots, each with its own generator split off {@code seeds} in slot order. Call in a coro. */
    void start(SplittableRandom seeds) {
        for (int i = 0; i < o.connections(); i++) {
            SplittableRandom rng = seeds.split();
            slotsRunning.acquire();
            Coro.spawn("soak slot " + i, () -> {
                try {
                    while (!stopping) {
                        life(rng);
                    }
                } finally {
                    slotsRunning.release();
                }
                return null;
            });
        }
    }

    /** Ends every slot after its current life (a clean life closes and verifies); waits at most {@code bound}. */
    void stop(Duration bound) {
        stopping = true;
        slotsRunning.awaitZero(bound);
    }

    private void life(SplittableRandom rng) {
        int id = nextLife++;
        double r = rng.nextDouble();
        Role role = r < o.resets() ? Role.RESET : r < o.resets() + o.slowloris() ? Role.SLOWLORIS : Role.CLEAN;
        long lifeEnd = Coro.now() + nanos(uniform(rng, o.lifeMinSeconds(), o.lifeMaxSeconds()));
        CoroSocket socket = connect(id, role);
        if (socket == null) {
            Coro.sleep(Duration.ofSeconds(1)); // counted; a server that refuses does not get a connect storm
            return;
        }
        lives++;
        open++;
        Flow flow = new Flow(id);
        try (socket) {
            switch (role) {
                case CLEAN -> {
                    while (!stopping && Coro.now() < lifeEnd) {
                        idle(rng, lifeEnd);
                        exchange(socket, flow, size(rng));
                    }
                    closeCleanly(socket, flow);
                    cleanLives++;
                }
                case SLOWLORIS -> {
                    while (!stopping && Coro.now() < lifeEnd) {
                        exchange(socket, flow, 1);
                        Coro.sleep(Duration.ofNanos(nanos(uniform(rng, 1, o.slowlorisGapSeconds()))));
                    }
                    closeCleanly(socket, flow);
                    slowlorisLives++;
                }
                case RESET -> {
                    long resetAt = Coro.now() + (long) (rng.nextDouble() * (lifeEnd - Coro.now()));
                    while (!stopping && Coro.now() < resetAt) {
                        idle(rng, resetAt);
                        exchange(socket, flow, size(rng));
                    }
                    byte[] part = chunk(flow.id, flow.sent, 1 + rng.nextInt(CHUNK)); // its echo is never read
                    socket.sendAll(part);
                    socket.setOption(StandardSocketOptions.SO_LINGER, 0);
                    resetLives++; // the close of try-with-resources sends the reset
                }
            }
        } catch (IOException | CoroTimeoutException e) {
            error("life " + id + " (" + role + ", " + flow.sent + " bytes sent, " + flow.received + " echoed): " + e);
        } finally {
            open--;
        }
    }

    /** Connects within {@link #CONNECT_TIMEOUT}, at most {@code --pending} at once; null if it failed (counted). */
    private CoroSocket connect(int id, Role role) {
        pending.acquire();
        try {
            CoroSocket s = CoroSocket.connectTo(target, CONNECT_TIMEOUT);
            s.setNoDelay(true);
            s.setTimeout(IO_TIMEOUT);
            return s;
        } catch (IOException | CoroTimeoutException e) {
            error("connect of life " + id + " (" + role + "): " + e);
            return null;
        } finally {
            pending.release();
        }
    }

    private void idle(SplittableRandom rng, long until) {
        long idle = nanos(rng.nextDouble() * o.idleSeconds());
        Coro.sleep(Duration.ofNanos(Math.max(0, Math.min(idle, until - Coro.now()))));
    }

    /** Log-uniform in [1, max-size]: most messages small, some near the largest. */
    private int size(SplittableRandom rng) {
        int s = (int) Math.exp(rng.nextDouble() * Math.log(o.maxSize() + 1.0));
        return Math.max(1, Math.min(o.maxSize(), s));
    }

    /** Sends {@code size} bytes of the flow chunk by chunk, reading back and checking each chunk's echo first. */
    private void exchange(CoroSocket socket, Flow flow, int size) throws IOException {
        for (int done = 0; done < size; ) {
            int k = Math.min(CHUNK, size - done);
            byte[] out = chunk(flow.id, flow.sent, k);
            flow.sentCrc.update(out);
            socket.sendAll(out);
            flow.sent += k;
            for (int got = 0; got < k; ) {
                byte[] in = socket.recv(k - got);
                if (in.length == 0) {
                    throw new IOException("the server closed the connection with " + (k - got) + " bytes of echo due");
                }
                for (int i = 0; i < in.length; i++) {
                    if (in[i] != expected(flow.id, flow.received + i)) {
                        throw new IOException("echoed byte " + (flow.received + i) + " differs");
                    }
                }
                flow.receivedCrc.update(in);
                flow.received += in.length;
                got += in.length;
            }
            done += k;
        }
        messages++;
    }

    /** Half-closes, expects the server's end of stream, and compares the whole streams; adds them to the verified bytes. */
    private void closeCleanly(CoroSocket socket, Flow flow) throws IOException {
        socket.shutdownOutput();
        byte[] rest = socket.recv(1);
        if (rest.length != 0) {
            throw new IOException("bytes beyond every echo after the half-close");
        }
        if (flow.sent != flow.received || flow.sentCrc.getValue() != flow.receivedCrc.getValue()) {
            throw new IOException(String.format("checksums differ: sent %d bytes, CRC-32 %08x; echoed %d bytes, CRC-32 %08x",
                    flow.sent, flow.sentCrc.getValue(), flow.received, flow.receivedCrc.getValue()));
        }
        bytesVerified += flow.sent;
    }

    /**
     * The shutdown phase: opens {@code n} connections (one byte echoed on each), then calls {@code quit}
     * (which ends the server's run with all of them open) and waits, at most {@code bound}, for each to
     * see the server close it (the end of stream or a reset). Returns how many saw it.
     */
    <T> Held<T> holdAndQuit(int n, Callable<T> quit, Duration bound) throws Exception {
        InvertedSemaphore opening = new InvertedSemaphore(n);
        InvertedSemaphore waitingForClose = new InvertedSemaphore();
        int[] held = {0};
        int[] sawClose = {0};
        dev.coro.sync.CondVar go = new dev.coro.sync.CondVar();
        for (int i = 0; i < n; i++) {
            int id = nextLife++;
            waitingForClose.acquire();
            Coro.spawn("held " + i, () -> {
                CoroSocket s = null;
                try {
                    s = connect(id, Role.CLEAN);
                    if (s != null) {
                        exchange(s, new Flow(id), 1);
                        held[0]++;
                    }
                } catch (IOException | CoroTimeoutException e) {
                    error("held connection " + id + ": " + e);
                } finally {
                    opening.release();
                }
                if (s == null) {
                    waitingForClose.release();
                    return null;
                }
                try (CoroSocket socket = s) {
                    go.await();
                    socket.setTimeout(bound);
                    try {
                        if (socket.recv(1).length == 0) {
                            sawClose[0]++;
                        } else {
                            error("held connection " + id + ": bytes after the server's shutdown");
                        }
                    } catch (SocketException reset) {
                        sawClose[0]++; // the server closed with our byte unread, or as it unwound
                    }
                } catch (IOException | CoroTimeoutException e) {
                    error("held connection " + id + " did not see the server's shutdown: " + e);
                } finally {
                    waitingForClose.release();
                }
                return null;
            });
        }
        opening.awaitZero();
        int heldBefore = held[0];
        go.wakeAll(null);
        Coro.yieldSlice(); // every held client is in its recv before the server goes
        T report = Coro.blocking(quit);
        long t0 = System.nanoTime();
        try {
            waitingForClose.awaitZero(bound);
        } catch (CoroTimeoutException late) {
            error((n - sawClose[0]) + " held connections did not see the server's shutdown within " + bound);
        }
        return new Held<>(heldBefore, sawClose[0], (System.nanoTime() - t0) / 1e6, report);
    }

    /** The shutdown phase's figures: connections held at the quit, how many saw the close, how long after the report. */
    record Held<T>(int held, int sawClose, double clientMillis, T report) {
    }

    private void error(String what) {
        errors++;
        if (firstErrors.size() < ERRORS_KEPT) {
            firstErrors.add(what);
        }
    }

    /** Byte {@code pos} of life {@code id}'s stream: the echo harness's pattern ({@link EchoConnection#expected}), by position. */
    static byte expected(int id, long pos) {
        return EchoConnection.expected(id, pos >>> 16, (int) (pos & 0xFFFF));
    }

    private static byte[] chunk(int id, long from, int k) {
        byte[] b = new byte[k];
        for (int i = 0; i < k; i++) {
            b[i] = expected(id, from + i);
        }
        return b;
    }

    private static double uniform(SplittableRandom rng, double lo, double hi) {
        return hi > lo ? lo + rng.nextDouble() * (hi - lo) : lo;
    }

    private static long nanos(double seconds) {
        return (long) (seconds * 1e9);
    }

    /** One life's streams: bytes and CRC-32 sent and echoed. */
    private static final class Flow {
        final int id;
        long sent;
        long received;
        final CRC32 sentCrc = new CRC32();
        final CRC32 receivedCrc = new CRC32();

        Flow(int id) {
            this.id = id;
        }
    }
}
