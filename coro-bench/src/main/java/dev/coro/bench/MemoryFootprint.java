package dev.coro.bench;

import dev.coro.Coro;
import dev.coro.Scheduler;
import dev.coro.net.CoroServerSocket;
import dev.coro.net.CoroSocket;
import dev.coro.spi.PollerProvider;
import dev.coro.spi.SwitchProvider;
import dev.coro.sync.CondVar;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.ServiceLoader;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Heap per suspended coroutine and per idle connection (SPEC.md §6, memory row: ≤ 4 KiB heap per
 * idle connection; 1M sleeping coros in a 2 GiB heap, so bin/bench --suite runs this with -Xmx2g).
 * Not a JMH benchmark: each row is (used heap with the items − used heap just before) / count, both
 * read from {@code MemoryMXBean} after five {@code System.gc()} calls 100 ms apart.
 * <ul>
 * <li>{@code coroSuspended} [switchBackend, poller nio]: N coros spawned in one run, each parked in
 *     {@code CondVar.await()}; the poller does not matter here.
 * <li>{@code baselineParkedVirtualThreads}: N {@code Thread.ofVirtual()} threads (default scheduler)
 *     parked in {@code LockSupport.park()}; the {@code Thread[]} that holds them is allocated before.
 * <li>{@code coroIdleConnection} [switchBackend, poller]: a coro server (as coro-examples' EchoServer:
 *     a coro per connection waiting in {@code recv(8192)}, registered with the poller); SERVER SIDE
 *     ONLY: the clients ({@link IdleClients}) are another process.
 * <li>{@code baselineVirtualThreadIdleConnection}: the echo bench's virtual-thread-per-connection
 *     server ({@code ServerSocket}, a virtual thread per connection in {@code read(byte[8192])}, the
 *     buffer allocated per connection as in VirtualThreadEchoServer); server side only, likewise.
 * </ul>
 * Every available switch and poller found by ServiceLoader runs (a third-party one on the class path
 * joins); unavailable ones are skipped with one line. Arguments: [OUT.json] [--counts 10000,1000000]
 * [--connections 10000]. Output (also printed as a table): see coro-bench/README.md.
 */
public final class MemoryFootprint {
    private record Row(String benchmark, String role, String switchBackend, String poller, int count,
                       long heapBefore, long heapAfter, String error) {
        double bytesPerItem() {
            return (double) (heapAfter - heapBefore) / count;
        }
    }

    private final List<Row> rows = new ArrayList<>();

    private MemoryFootprint() {
    }

    public static void main(String[] args) throws Exception {
        Path out = Path.of("coro-bench/target/jmh/memory.json");
        List<Integer> counts = List.of(10_000, 1_000_000);
        int connections = 10_000;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--counts" -> counts = parseList(args[++i]);
                case "--connections" -> connections = Integer.parseInt(args[++i]);
                default -> out = Path.of(args[i]);
            }
        }
        List<String> switches = available(ServiceLoader.load(SwitchProvider.class).stream()
                .map(ServiceLoader.Provider::get).map(p -> new Named(p.name(), p.unavailableReason().orElse(null))).toList());
        List<String> pollers = available(ServiceLoader.load(PollerProvider.class).stream()
                .map(ServiceLoader.Provider::get).map(p -> new Named(p.name(), p.unavailableReason().orElse(null))).toList());

        MemoryFootprint m = new MemoryFootprint();
        for (int n : counts) {
            for (String sw : switches) {
                m.measure("coroSuspended", "ours", sw, "nio", n, () -> m.coroSuspended(sw, n));
            }
            m.measure("baselineParkedVirtualThreads", "baseline", null, null, n, () -> m.parkedVirtualThreads(n));
        }
        for (String sw : switches) {
            for (String po : pollers) {
                int c = connections;
                m.measure("coroIdleConnection", "ours", sw, po, c, () -> m.coroConnections(sw, po, c));
            }
        }
        int c = connections;
        m.measure("baselineVirtualThreadIdleConnection", "baseline", null, null, c, () -> m.vtConnections(c));
        m.write(out);
    }

    private record Named(String name, String unavailable) {
    }

    private static List<String> available(List<Named> all) {
        List<String> names = new ArrayList<>();
        for (Named n : all) {
            if (n.unavailable() == null) {
                names.add(n.name());
            } else {
                System.out.println("MemoryFootprint: " + n.name() + " skipped: " + n.unavailable());
            }
        }
        return names;
    }

    private static List<Integer> parseList(String s) {
        return java.util.Arrays.stream(s.split(",")).map(Integer::parseInt).toList();
    }

    /** A measurement: returns {before, after}; a failure is recorded as the row's error. */
    private interface Measure {
        long[] run() throws Exception;
    }

    private void measure(String benchmark, String role, String sw, String poller, int count, Measure body) {
        Row row;
        try {
            long[] r = body.run();
            row = new Row(benchmark, role, sw, poller, count, r[0], r[1], null);
        } catch (Throwable t) {
            row = new Row(benchmark, role, sw, poller, count, 0, 0, String.valueOf(t));
        }
        rows.add(row);
        System.out.printf(Locale.ROOT, "%-38s %-6s %-6s %9d  %s%n", benchmark, sw == null ? "-" : sw,
                poller == null ? "-" : poller, count,
                row.error() == null ? String.format(Locale.ROOT, "%10.1f B each", row.bytesPerItem()) : "ERROR " + row.error());
    }

    static long usedHeap() throws InterruptedException {
        for (int i = 0; i < 5; i++) {
            System.gc();
            Thread.sleep(100);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static Scheduler scheduler(String sw, String poller) {
        return Scheduler.builder().switcher(sw).poller(poller).latencyWarning(Duration.ZERO).build();
    }

    /**
     * Runs {@code main} on a scheduler on its own thread: main completes {@code start} and waits for
     * {@code go} (the heap before is measured meanwhile), makes its items, completes {@code full} and
     * waits for {@code release} (the heap after is measured meanwhile).
     */
    private static long[] between(Scheduler s, CompletableFuture<Void> start, CompletableFuture<Void> go,
                                  CompletableFuture<Void> full, CompletableFuture<Void> release,
                                  Runnable main) throws Exception {
        Thread t = Thread.ofPlatform().name("memory-scheduler").start(() -> s.run(main));
        long[] r = new long[2];
        try {
            start.get();
            r[0] = usedHeap();
            go.complete(null);
            full.get();
            Thread.sleep(200);
            r[1] = usedHeap();
        } finally {
            release.complete(null);
            t.join();
            s.close();
        }
        return r;
    }

    private long[] coroSuspended(String sw, int n) throws Exception {
        CompletableFuture<Void> start = new CompletableFuture<>(), go = new CompletableFuture<>();
        CompletableFuture<Void> full = new CompletableFuture<>(), release = new CompletableFuture<>();
        return between(scheduler(sw, "nio"), start, go, full, release, () -> {
            CondVar gate = new CondVar();
            int[] waiting = {0};
            start.complete(null);
            Coro.await(go);
            for (int i = 0; i < n; i++) {
                Coro.spawn(() -> {
                    waiting[0]++;
                    gate.await();
                });
            }
            while (waiting[0] < n) {
                Coro.yieldSlice();
            }
            full.complete(null);
            Coro.await(release);
            gate.wakeAll(null);
        });
    }

    private long[] parkedVirtualThreads(int n) throws Exception {
        Thread[] threads = new Thread[n];
        AtomicInteger arrived = new AtomicInteger();
        java.util.concurrent.atomic.AtomicBoolean released = new java.util.concurrent.atomic.AtomicBoolean();
        Runnable park = () -> {
            arrived.incrementAndGet();
            while (!released.get()) {
                LockSupport.park();
            }
        };
        long before = usedHeap();
        Thread.Builder builder = Thread.ofVirtual();
        for (int i = 0; i < n; i++) {
            threads[i] = builder.start(park);
        }
        while (arrived.get() < n) {
            Thread.sleep(10);
        }
        for (Thread t : threads) {
            while (t.getState() != Thread.State.WAITING) {
                Thread.sleep(1);
            }
        }
        long after = usedHeap();
        released.set(true);
        for (Thread t : threads) {
            LockSupport.unpark(t);
        }
        for (Thread t : threads) {
            t.join();
        }
        return new long[] {before, after};
    }

    private long[] coroConnections(String sw, String poller, int n) throws Exception {
        CompletableFuture<Integer> port = new CompletableFuture<>();
        CompletableFuture<Void> full = new CompletableFuture<>(), release = new CompletableFuture<>();
        CompletableFuture<Void> start = port.thenAccept(p -> { });
        AtomicInteger serving = new AtomicInteger();
        Process[] clients = new Process[1];
        Scheduler s = scheduler(sw, poller);
        Thread t = Thread.ofPlatform().name("memory-scheduler").start(() -> s.run(() -> {
            try (CoroServerSocket server = CoroServerSocket.bind(
                    new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 4096)) {
                port.complete(((InetSocketAddress) server.localAddress()).getPort());
                Coro.spawn("acceptor", () -> {
                    while (true) {
                        CoroSocket client = server.accept();
                        Coro.spawn(() -> {
                            try (client) {
                                serving.incrementAndGet();
                                while (client.recv(8192).length > 0) { // as EchoServer: idle here
                                    // no data comes
                                }
                            }
                            return null;
                        });
                    }
                });
                Coro.await(release);
            }
            return null;
        }));
        return connections(t, s, port, start, serving, n, release, clients);
    }

    private long[] vtConnections(int n) throws Exception {
        AtomicInteger serving = new AtomicInteger();
        ServerSocket server = new ServerSocket(0, 4096, InetAddress.getLoopbackAddress());
        List<Socket> accepted = java.util.Collections.synchronizedList(new ArrayList<>());
        Thread acceptor = Thread.ofVirtual().name("acceptor").start(() -> {
            try {
                while (true) {
                    Socket sock = server.accept();
                    accepted.add(sock); // only to close them at the end; a list of n refs (~4 B each)
                    Thread.ofVirtual().start(() -> {
                        try (sock; InputStream in = sock.getInputStream(); var out = sock.getOutputStream()) {
                            byte[] buf = new byte[8192];
                            serving.incrementAndGet();
                            int k;
                            while ((k = in.read(buf)) > 0) {
                                out.write(buf, 0, k);
                            }
                        } catch (IOException gone) {
                            // the client went away
                        }
                    });
                }
            } catch (IOException closed) {
                // the server socket was closed: done
            }
        });
        CompletableFuture<Integer> port = CompletableFuture.completedFuture(server.getLocalPort());
        CompletableFuture<Void> release = new CompletableFuture<>();
        release.thenRun(() -> {
            try {
                server.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        });
        return connections(acceptor, null, port, port.thenAccept(p -> { }), serving, n, release, new Process[1]);
    }

    /** Measures before and after {@code n} clients (another process) are being served, then ends it all. */
    private static long[] connections(Thread serverThread, Scheduler s, CompletableFuture<Integer> port,
                                      CompletableFuture<Void> start, AtomicInteger serving, int n,
                                      CompletableFuture<Void> release, Process[] clients) throws Exception {
        long[] r = new long[2];
        try {
            int p = port.get();
            start.get();
            Thread.sleep(200);
            r[0] = usedHeap();
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            clients[0] = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                    IdleClients.class.getName(), String.valueOf(p), String.valueOf(n))
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            BufferedReader lines = new BufferedReader(new InputStreamReader(clients[0].getInputStream(), StandardCharsets.UTF_8));
            String line = lines.readLine();
            if (line == null || !line.equals("connected " + n)) {
                throw new IOException("IdleClients said: " + line);
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (serving.get() < n) {
                if (System.nanoTime() > deadline) {
                    throw new IOException("only " + serving.get() + " of " + n + " connections served after 60 s");
                }
                Thread.sleep(10);
            }
            Thread.sleep(300);
            r[1] = usedHeap();
        } finally {
            if (clients[0] != null) {
                clients[0].getOutputStream().close(); // IdleClients closes its connections and ends
                clients[0].waitFor();
            }
            release.complete(null);
            if (s != null) {
                serverThread.join();
                s.close();
            }
        }
        return r;
    }

    private void write(Path out) throws IOException {
        StringBuilder b = new StringBuilder();
        b.append("{\n  \"format\": \"coro-memory/1\",\n");
        b.append("  \"jvm\": ").append(q(System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"))).append(",\n");
        b.append("  \"maxHeapBytes\": ").append(Runtime.getRuntime().maxMemory()).append(",\n");
        b.append("  \"gc\": ").append(q(String.join(",", ManagementFactory.getGarbageCollectorMXBeans().stream()
                .map(java.lang.management.GarbageCollectorMXBean::getName).toList()))).append(",\n");
        b.append("  \"results\": [\n");
        for (int i = 0; i < rows.size(); i++) {
            Row r = rows.get(i);
            b.append("    {\"benchmark\": ").append(q(r.benchmark())).append(", \"role\": ").append(q(r.role()))
                    .append(", \"switchBackend\": ").append(q(r.switchBackend())).append(", \"poller\": ").append(q(r.poller()))
                    .append(", \"count\": ").append(r.count());
            if (r.error() == null) {
                b.append(", \"heapBeforeBytes\": ").append(r.heapBefore()).append(", \"heapAfterBytes\": ").append(r.heapAfter())
                        .append(", \"bytesPerItem\": ").append(String.format(Locale.ROOT, "%.1f", r.bytesPerItem()));
            } else {
                b.append(", \"error\": ").append(q(r.error()));
            }
            b.append(i + 1 < rows.size() ? "},\n" : "}\n");
        }
        b.append("  ]\n}\n");
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, b);
        System.out.println("MemoryFootprint: wrote " + out);
    }

    private static String q(String s) {
        if (s == null) {
            return "null";
        }
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }
}
