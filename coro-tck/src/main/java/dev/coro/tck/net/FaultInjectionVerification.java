package dev.coro.tck.net;

import dev.coro.Coro;
import dev.coro.Scheduler;
import dev.coro.SchedulerStats;
import dev.coro.net.ConnectionResetException;
import dev.coro.net.CoroServerSocket;
import dev.coro.net.CoroSocket;
import dev.coro.net.SocketClosedException;
import dev.coro.sync.Semaphore;
import dev.coro.tck.KitRunSettings;
import dev.coro.tck.Leaks;
import dev.coro.tck.faults.Fault;
import dev.coro.tck.faults.FaultInjector;
import dev.coro.tck.faults.FaultPlan;
import dev.coro.tck.faults.HeldClose;
import dev.coro.tck.faults.InjectedFault;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.zip.CRC32;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * {@code dev.coro.net} under injected faults (SPEC.md §7, fault injection), through the kit's
 * {@link FaultInjector} over the poller under test, and the close of a socket whose close is in
 * progress on another thread. The poller's test module registers
 * {@code dev.coro.tck.faults.FaultInjectingPollerProvider} in its test resources
 * ({@code META-INF/services/dev.coro.spi.PollerProvider}).
 *
 * <p>Each {@code faults_} test runs {@value #CONNECTIONS} connections to an echo server in one run:
 * per connection a writer coro sends {@value #MESSAGES} messages of random size (1 B to 64 KiB,
 * log-uniform; {@code sendAll} of an array, {@code sendAll} of a heap buffer and {@code writev} in
 * turn) and half-closes, a reader coro takes the echo back until the end of the stream, and both
 * sides' bytes are counted and CRC32-summed. A
 * connection neither of whose ends the injector reset must have every byte back in order; a
 * connection that failed must have been reset, and the coro that met the injected reset got
 * {@link ConnectionResetException}. Every kind the plan injects was injected. Then, faults paused,
 * a fresh echo and a sleep show that the same run still works, no coro or wait is left, and after
 * the run no thread (and, by {@code FdLeakCheck}, no fd).
 *
 * <p>Seeds: a default run uses a fixed seed per test; {@code -Dcoro.tck.seed=random} (or a deep
 * run, {@code -Dcoro.tck.tries=N}) draws one and prints it; every failure ends with the injector's
 * report, which names the seed, and the flag that replays it.
 */
public abstract class FaultInjectionVerification extends SocketVerificationBase {
    static final int CONNECTIONS = 40;
    static final int MESSAGES = 12;
    static final int MAX_MESSAGE = 64 * 1024;
    private static final Duration BOUND = Duration.ofSeconds(30);

    // ---------------------------------------------------------------- one kind at a time

    @Test
    public void faults_eagainStormsLoseNoByte(TestInfo test) {
        echoUnderFaults(test, plan -> plan.eagainStorms(0.2));
    }

    @Test
    public void faults_oneByteWritesLoseNoByte(TestInfo test) {
        echoUnderFaults(test, plan -> plan.oneByteWrites(0.5));
    }

    @Test
    public void faults_spuriousReadinessLosesNoByte(TestInfo test) {
        echoUnderFaults(test, plan -> plan.spuriousReadiness(0.3));
    }

    @Test
    public void faults_interruptedPollsLoseNoByte(TestInfo test) {
        echoUnderFaults(test, plan -> plan.interruptedPolls(0.3));
    }

    @Test
    public void faults_resetsFailOnlyTheCorosOfTheirConnections(TestInfo test) {
        echoUnderFaults(test, plan -> plan.resets(0.25, 32 * 1024));
    }

    @Test
    public void faults_emfileOnAcceptBacksOffAndLosesNoConnection(TestInfo test) {
        echoUnderFaults(test, plan -> plan.emfileOnAccept(0.3));
    }

    // ---------------------------------------------------------------- all at once

    @Test
    public void faults_everyKindAtOnceFailsOnlyTheResetConnections(TestInfo test) {
        echoUnderFaults(test, plan -> plan.eagainStorms(0.05).oneByteWrites(0.2).spuriousReadiness(0.1)
                .interruptedPolls(0.1).resets(0.1, 32 * 1024).emfileOnAccept(0.2));
    }

    // ---------------------------------------------------------------- install and choose

    @Test
    public void reliability_pollerFaultsWithoutAnInstalledInjectorFailsAtBuildSayingWhy() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> faultsBuilder().build());
        assertTrue(e.getMessage().contains("no FaultInjector is installed"), e.getMessage());
        try (FaultInjector faults = FaultInjector.install(FaultPlan.over(pollerName()))) {
            IllegalStateException twice = assertThrows(IllegalStateException.class,
                    () -> FaultInjector.install(FaultPlan.over(pollerName())));
            assertTrue(twice.getMessage().contains("installed already"), twice.getMessage());
            faultsBuilder().build().close(); // installed: it builds
        }
    }

    // ---------------------------------------------------------------- close while a close is in progress

    @Test
    public void net_aSecondCloseFromAnotherThreadReturnsOnlyOnceTheFirstHasClosedTheChannel() {
        closeDuringAHeldClose(false);
    }

    @Test
    public void net_aSecondCloseFromACoroReturnsOnlyOnceTheFirstHasClosedTheChannel() {
        closeDuringAHeldClose(true);
    }

    /**
     * A close on another thread is held before it closes the channel; a second close (from a
     * platform thread, or from a coro) must not return before the first has closed it. The hold is
     * released once the second close returned (the bug) or waits inside {@code CoroChannel.close}.
     */
    private void closeDuringAHeldClose(boolean secondFromACoro) {
        withFaults(FaultPlan.over(pollerName()), faults -> runFaulty(() -> {
            try (CoroServerSocket server = CoroServerSocket.bind(LOOPBACK_ANY_PORT);
                 CoroSocket c = CoroSocket.connectTo(server.localAddress());
                 CoroSocket peer = server.accept()) {
                HeldClose held = faults.holdNextClose(c.channel());
                Thread first = Thread.ofPlatform().name("first-close").start(c::close);
                assertTrue(Coro.blocking(() -> held.awaitHeld(BOUND)), "the first close was never held");
                assertFalse(c.isOpen(), "a close in progress makes isOpen() false at once");
                AtomicReference<Thread> second = new AtomicReference<>();
                AtomicBoolean returned = new AtomicBoolean();
                Callable<Boolean> secondClose = () -> {
                    second.set(Thread.currentThread());
                    c.close();
                    returned.set(true);
                    return c.channel().isOpen();
                };
                boolean openAfterSecondClose;
                if (secondFromACoro) {
                    // The coro's close may hold the scheduler thread (native): a platform thread releases.
                    Thread releaser = Thread.ofPlatform().name("releaser").start(() -> {
                        awaitReturnedOrWaitingInClose(second, returned);
                        held.release();
                    });
                    openAfterSecondClose = Coro.spawn("second-close", secondClose).join();
                    Coro.blocking(() -> {
                        releaser.join();
                        return null;
                    });
                } else {
                    AtomicReference<Boolean> open = new AtomicReference<>();
                    Thread t = Thread.ofPlatform().name("second-close").start(() -> {
                        try {
                            open.set(secondClose.call());
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                    });
                    Coro.blocking(() -> {
                        awaitReturnedOrWaitingInClose(second, returned);
                        held.release();
                        t.join();
                        return null;
                    });
                    openAfterSecondClose = open.get();
                }
                Coro.blocking(() -> {
                    first.join();
                    return null;
                });
                assertFalse(openAfterSecondClose, "a second close() returned while the first, on another thread, "
                        + "had not yet closed the channel (Channel.close() waits for a close in progress)");
                assertEquals(1, faults.count(Fault.HELD_CLOSE));
                SocketClosedException e = assertThrows(SocketClosedException.class, () -> c.recv(1));
                assertTrue(e.getMessage().contains("first-close"), "the first closer is named: " + e.getMessage());
                assertEquals(0, peer.recv(1).length, "the peer sees the end of the stream");
            }
            return null;
        }));
    }

    /** Until the second close has returned, or its thread ({@code holder}) waits inside {@code CoroChannel.close}. */
    private static void awaitReturnedOrWaitingInClose(AtomicReference<Thread> holder, AtomicBoolean returned) {
        long deadline = System.nanoTime() + BOUND.toNanos();
        while (System.nanoTime() < deadline) {
            Thread t = holder.get();
            if (returned.get() || (t != null && waitsInClose(t))) {
                return;
            }
            Thread.onSpinWait();
            Thread.yield();
        }
        throw new IllegalStateException("the second close neither returned nor waited in CoroChannel.close within "
                + BOUND);
    }

    private static boolean waitsInClose(Thread t) {
        Thread.State s = t.getState();
        if (s != Thread.State.BLOCKED && s != Thread.State.WAITING) {
            return false;
        }
        for (StackTraceElement f : t.getStackTrace()) {
            if (f.getClassName().equals("dev.coro.net.CoroChannel") && f.getMethodName().equals("close")) {
                return true;
            }
        }
        return false;
    }

    // ---------------------------------------------------------------- the echo under faults

    /** One connection, as its client and server coros saw it. */
    private static final class Connection {
        final int id;
        final byte[][] messages;
        /** The client end (closed by the time the connection is checked) and its port. */
        CoroSocket client;
        int clientPort;
        long sent, received;
        final CRC32 sentSum = new CRC32(), receivedSum = new CRC32();
        final List<Throwable> clientFailures = new ArrayList<>();
        boolean done;

        Connection(int id, byte[][] messages) {
            this.id = id;
            this.messages = messages;
        }

        /** Every message sent and every byte back, in order. */
        boolean intact() {
            long total = 0;
            for (byte[] m : messages) {
                total += m.length;
            }
            return done && clientFailures.isEmpty() && sent == total && received == sent
                    && receivedSum.getValue() == sentSum.getValue();
        }
    }

    /** The server end of a connection, keyed by the client's port. */
    private static final class ServerEnd {
        final CoroSocket socket;
        Throwable failure;

        ServerEnd(CoroSocket socket) {
            this.socket = socket;
        }
    }

    private void echoUnderFaults(TestInfo test, java.util.function.UnaryOperator<FaultPlan> faults) {
        String name = test.getTestMethod().orElseThrow().getName();
        long seed = KitRunSettings.seedOf(name, getClass().getSimpleName() + "." + name + " [switch " + switcher + "]");
        FaultPlan plan = faults.apply(FaultPlan.over(pollerName()).seed(seed));
        Leaks before = Leaks.snapshot();
        withFaults(plan, injector -> {
            AtomicReference<SchedulerStats> end = new AtomicReference<>();
            try (Scheduler s = faultsBuilder().build()) {
                s.run(() -> {
                    echoConnections(injector, new SplittableRandom(seed));
                    end.set(s.stats());
                    return null;
                });
            }
            assertEquals(0, end.get().waits(), "waits left on the poller at the end: " + end.get());
            assertEquals(1, end.get().liveCoros(), "coros left besides main at the end: " + end.get());
            List<String> left = before.leftSince(Duration.ofSeconds(10));
            assertTrue(left.isEmpty(), "left behind by the run: " + left);
        });
    }

    /** The workload of every fault test, as main of a run under {@code injector}: see the class comment. */
    private static void echoConnections(FaultInjector injector, SplittableRandom random) throws Exception {
        Map<Integer, ServerEnd> serverEnds = new HashMap<>();
        List<Coro<Void>> serverCoros = new ArrayList<>();
        Semaphore accepted = new Semaphore(0);
        AtomicReference<Exception> acceptFailed = new AtomicReference<>();
        try (CoroServerSocket server = CoroServerSocket.bind(LOOPBACK_ANY_PORT, 1024)) {
            Coro<Void> acceptor = Coro.spawn("acceptor", () -> {
                try {
                    while (true) {
                        CoroSocket s = server.accept();
                        ServerEnd e = new ServerEnd(s);
                        serverEnds.put(((InetSocketAddress) s.remoteAddress()).getPort(), e);
                        serverCoros.add(Coro.spawn("echo", () -> serve(e)));
                        accepted.release();
                    }
                } catch (SocketClosedException closed) {
                    return null; // the test closed the server
                } catch (IOException | RuntimeException e) {
                    acceptFailed.set(e);
                    accepted.release(CONNECTIONS); // main need not wait for accepts that will not come
                    return null;
                }
            });
            List<Connection> conns = new ArrayList<>();
            List<Coro<Void>> clients = new ArrayList<>();
            for (int i = 0; i < CONNECTIONS; i++) {
                Connection c = new Connection(i, messages(random));
                conns.add(c);
                clients.add(Coro.spawn("client-" + i, () -> client(c, server.localAddress())));
            }
            for (Coro<Void> c : clients) {
                c.join();
            }
            // Every client connected, so every connection is accepted, if maybe after an EMFILE's back-off.
            accepted.acquire(CONNECTIONS, BOUND);
            if (acceptFailed.get() != null) {
                throw new AssertionError("the acceptor failed (EMFILE must back off, not fail it): "
                        + acceptFailed.get(), acceptFailed.get());
            }
            for (Coro<Void> c : serverCoros) {
                c.join();
            }
            check(injector, conns, serverEnds, server);

            // The same run, faults paused: it still serves, and sleeps.
            injector.pause();
            Connection after = new Connection(CONNECTIONS, new byte[][]{"still alive".getBytes()});
            client(after, server.localAddress());
            assertTrue(after.intact(), "an echo after the faults failed: " + after.clientFailures);
            Coro.sleep(Duration.ofMillis(1));
            server.close();
            acceptor.join();
            for (Coro<Void> c : serverCoros) {
                c.join();
            }
        }
    }

    private static void check(FaultInjector injector, List<Connection> conns, Map<Integer, ServerEnd> serverEnds,
                              CoroServerSocket server) throws IOException {
        StringBuilder wrong = new StringBuilder();
        int resets = 0;
        for (Connection c : conns) {
            int port = c.clientPort;
            ServerEnd se = c.client == null ? null : serverEnds.get(port);
            if (se == null) {
                wrong.append("\n  connection ").append(c.id).append(c.client == null ? ": the client could not connect"
                    : ": the server never saw client port " + port).append(describe("client", c.clientFailures));
                continue;
            }
            boolean clientReset = injector.wasReset(c.client.channel());
            boolean serverReset = injector.wasReset(se.socket.channel());
            resets += (clientReset ? 1 : 0) + (serverReset ? 1 : 0);
            boolean intact = c.intact() && se.failure == null;
            if (!clientReset && !serverReset && !intact) {
                wrong.append("\n  connection ").append(c.id).append(" was not reset but lost its echo: sent ")
                        .append(c.sent).append(" B (crc ").append(c.sentSum.getValue()).append("), got back ")
                        .append(c.received).append(" B (crc ").append(c.receivedSum.getValue()).append(")")
                        .append(describe("client", c.clientFailures)).append(describe("server",
                                se.failure == null ? List.of() : List.of(se.failure)));
            }
            if (clientReset && !metInjectedReset(c.clientFailures)) {
                wrong.append("\n  connection ").append(c.id).append(": the injector reset the client end, but no client "
                        + "coro got its ConnectionResetException").append(describe("client", c.clientFailures));
            }
            if (serverReset && !metInjectedReset(se.failure == null ? List.of() : List.of(se.failure))) {
                wrong.append("\n  connection ").append(c.id).append(": the injector reset the server end, but its "
                        + "coro did not get its ConnectionResetException").append(describe("server",
                        se.failure == null ? List.of() : List.of(se.failure)));
            }
        }
        FaultPlan plan = injector.plan();
        for (Fault kind : Fault.values()) {
            if (plan.injects(kind) && injector.count(kind) == 0) {
                wrong.append("\n  the plan injects ").append(kind.description()).append(" but none came");
            }
        }
        if (resets != injector.count(Fault.RESET)) {
            wrong.append("\n  ").append(injector.count(Fault.RESET)).append(" resets injected, but ").append(resets)
                    .append(" connection ends report one");
        }
        if (server.fdExhaustions() != injector.count(Fault.EMFILE)) {
            wrong.append("\n  the server socket counted ").append(server.fdExhaustions())
                    .append(" accepts out of descriptors; ").append(injector.count(Fault.EMFILE)).append(" were injected");
        }
        if (!wrong.isEmpty()) {
            fail(wrong.substring(3));
        }
    }

    private static boolean metInjectedReset(List<Throwable> failures) {
        return failures.stream().anyMatch(e -> e instanceof ConnectionResetException
                && InjectedFault.in(e) != null && InjectedFault.in(e).kind() == Fault.RESET);
    }

    private static String describe(String side, List<Throwable> failures) {
        StringBuilder sb = new StringBuilder();
        for (Throwable t : failures) {
            StringWriter w = new StringWriter();
            t.printStackTrace(new PrintWriter(w));
            sb.append("\n    ").append(side).append(": ").append(w.toString().strip().replace("\n", "\n      "));
        }
        return sb.toString();
    }

    /** Message sizes log-uniform in 1 B to 64 KiB, with random contents. */
    private static byte[][] messages(SplittableRandom random) {
        byte[][] m = new byte[MESSAGES][];
        for (int i = 0; i < MESSAGES; i++) {
            int size = (int) Math.min(MAX_MESSAGE, Math.round(Math.exp(random.nextDouble(Math.log(MAX_MESSAGE + 1)))));
            m[i] = new byte[Math.max(1, size)];
            random.nextBytes(m[i]);
        }
        return m;
    }

    /**
     * A client: a reader coro takes the echo while this one sends the messages, each once the one
     * before it has come back (so that every connection waits on the poller many times), then
     * half-closes.
     */
    private static Void client(Connection c, java.net.SocketAddress server) {
        CoroSocket s;
        try {
            s = CoroSocket.connectTo(server);
        } catch (IOException | RuntimeException e) {
            c.clientFailures.add(e);
            return null;
        }
        c.client = s;
        Semaphore echoed = new Semaphore(0);
        try (s) {
            c.clientPort = ((InetSocketAddress) s.localAddress()).getPort();
            s.setTimeout(BOUND); // a lost wake-up fails this connection instead of hanging the test
            Coro<Void> reader = Coro.spawn("reader-" + c.id, () -> {
                ByteBuffer buf = ByteBuffer.allocate(8 * 1024);
                try {
                    int n;
                    while ((n = s.recvInto(buf.clear())) > 0) {
                        c.receivedSum.update(buf.array(), 0, n);
                        c.received += n;
                        if (c.received == c.sent) {
                            echoed.release(); // the last message is back: the writer sends the next
                        }
                    }
                } catch (IOException | RuntimeException e) {
                    c.clientFailures.add(e);
                    s.close(); // wakes the writer, if it waits on the socket
                } finally {
                    echoed.release(); // and if it waits for this echo
                }
                return null;
            });
            try {
                for (int i = 0; i < c.messages.length && s.isOpen(); i++) {
                    byte[] m = c.messages[i];
                    c.sent += m.length; // first: the echo may be back before the send returns
                    c.sentSum.update(m);
                    // The three write paths: an array, a heap buffer (both copied to the run's scratch
                    // buffer for each attempt) and a gather write.
                    if (i % 3 == 0 || m.length < 2) {
                        s.sendAll(m);
                    } else if (i % 3 == 1) {
                        s.sendAll(ByteBuffer.wrap(m));
                    } else {
                        s.writev(ByteBuffer.wrap(m, 0, m.length / 2), ByteBuffer.wrap(m, m.length / 2, m.length - m.length / 2));
                    }
                    echoed.acquire(1, BOUND);
                }
                if (s.isOpen()) {
                    s.shutdownOutput();
                }
            } catch (IOException | RuntimeException e) {
                c.clientFailures.add(e);
                s.close(); // wakes the reader
            }
            reader.join();
            c.done = true;
        } catch (IOException | RuntimeException e) {
            c.clientFailures.add(e);
        }
        return null;
    }

    /** The server end: echoes until the end of the stream, recording what failed it. */
    private static Void serve(ServerEnd e) {
        try (CoroSocket s = e.socket) {
            s.setTimeout(BOUND);
            byte[] data;
            while ((data = s.recv(16 * 1024)).length > 0) {
                s.sendAll(data);
            }
        } catch (IOException | RuntimeException ex) {
            e.failure = ex;
        }
        return null;
    }

    // ---------------------------------------------------------------- plumbing

    /** What runs with an injector installed. */
    @FunctionalInterface
    protected interface WithFaults {
        void run(FaultInjector faults) throws Exception;
    }

    /**
     * Runs {@code body} with an injector of {@code plan} installed, then uninstalls it; a failure ends
     * with the injector's report (its seed and what it injected) and the flag that replays the seed.
     */
    protected static void withFaults(FaultPlan plan, WithFaults body) {
        try (FaultInjector faults = FaultInjector.install(plan)) {
            try {
                body.run(faults);
            } catch (AssertionError | Exception e) {
                AssertionError named = new AssertionError((e instanceof AssertionError && e.getMessage() != null
                        ? e.getMessage() : e.toString()) + "\n  (" + faults.report() + "; replay it with "
                        + KitRunSettings.replayFlags(plan.seed()) + ")", e);
                named.setStackTrace(e.getStackTrace());
                throw named;
            }
        }
    }

    /** A scheduler builder with this instance's switch and the installed injector's poller. */
    protected Scheduler.Builder faultsBuilder() {
        return Scheduler.builder().switcher(switcher).poller(FaultInjector.POLLER)
                .name("test-faults-" + pollerName() + "-" + switcher);
    }

    /** Runs {@code main} as main of a fresh scheduler from {@link #faultsBuilder()}, then closes it. */
    protected <T> T runFaulty(Callable<T> main) {
        try (Scheduler s = faultsBuilder().build()) {
            return s.run(main);
        }
    }
}
