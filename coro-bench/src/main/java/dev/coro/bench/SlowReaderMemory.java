package dev.coro.bench;

import dev.coro.Coro;
import dev.coro.Scheduler;
import dev.coro.examples.EchoServer;
import dev.coro.net.CoroServerSocket;
import dev.coro.net.CoroSocket;
import dev.coro.net.SocketClosedException;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Backpressure, measured (issue 15): heap per slow client of coro-examples' EchoServer. N clients
 * connect, then write as much as the kernel takes and never read the echo. Each server coro blocks in
 * {@code sendAll} once the client's receive buffer is full, and reads nothing more meanwhile, so the
 * client's writes stall too: nothing is buffered beyond the one read of at most
 * {@link EchoServer#BUFFER} bytes a connection holds while it waits, and the kernel's socket buffers.
 * Heap is {@link MemoryFootprint#usedHeap()} (after full GCs) of this process (the clients' part is the
 * same in every phase): with the N connections idle; once every client has stalled; and again after
 * {@code --seconds} more of trying to write. The write timeout is set long enough not to drop anyone
 * meanwhile. The clients are non-blocking channels written by the main thread: no thread per connection.
 * Arguments: [--connections N (1000)] [--seconds S (5)]; backends: -Dcoro.switch=, -Dcoro.poller=.
 */
public final class SlowReaderMemory {
    private SlowReaderMemory() {
    }

    public static void main(String[] args) throws Exception {
        int n = 1000;
        int seconds = 5;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--connections" -> n = Integer.parseInt(args[i + 1]);
                case "--seconds" -> seconds = Integer.parseInt(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown flag " + args[i] + " (--connections N, --seconds S)");
            }
        }
        Scheduler s = Scheduler.builder().name("slow-readers").latencyWarning(Duration.ZERO).build();
        CompletableFuture<Integer> port = new CompletableFuture<>();
        CompletableFuture<Void> release = new CompletableFuture<>();
        AtomicInteger serving = new AtomicInteger();
        Thread loop = Thread.ofPlatform().name("slow-readers-scheduler").start(() -> s.run(() -> {
            try (CoroServerSocket server = CoroServerSocket.bind(
                    new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 4096)) {
                port.complete(((InetSocketAddress) server.localAddress()).getPort());
                Coro.spawn("acceptor", () -> {
                    try {
                        while (true) {
                            CoroSocket client = server.accept();
                            serving.incrementAndGet();
                            Coro.spawn(() -> EchoServer.serve(client, Duration.ofHours(1)));
                        }
                    } catch (SocketClosedException closed) {
                        return null;
                    }
                });
                Coro.await(release);
            }
            return null;
        }));
        List<SocketChannel> clients = new ArrayList<>(n);
        try {
            InetSocketAddress target = new InetSocketAddress(InetAddress.getLoopbackAddress(), port.get());
            for (int i = 0; i < n; i++) {
                SocketChannel c = SocketChannel.open(target);
                c.configureBlocking(false);
                clients.add(c);
            }
            while (serving.get() < n) {
                Thread.sleep(10);
            }
            long idle = MemoryFootprint.usedHeap();
            ByteBuffer data = ByteBuffer.allocateDirect(64 * 1024);
            long taken = writeUntilStalled(clients, data);
            long stalled = MemoryFootprint.usedHeap();
            long more = 0;
            long end = System.nanoTime() + seconds * 1_000_000_000L;
            while (System.nanoTime() < end) {
                more += writeRound(clients, data);
                Thread.sleep(100);
            }
            long later = MemoryFootprint.usedHeap();
            System.out.printf(Locale.ROOT, "slow readers: %d connections of EchoServer (switch '%s', poller '%s'), each client"
                    + " writing and never reading%n", n, s.switcherName(), s.pollerName());
            System.out.printf(Locale.ROOT, "  kernel took            %,.0f B per client before every write stalled"
                    + " (socket buffers both ways, and the server's one read)%n", (double) taken / n);
            System.out.printf(Locale.ROOT, "  server heap            +%,.0f B per slow client, stalled against idle"
                    + " (%.1f MiB -> %.1f MiB after GC)%n", (double) (stalled - idle) / n, idle / 1048576.0, stalled / 1048576.0);
            System.out.printf(Locale.ROOT, "  %d s later             +%,.0f B written in all, heap %+,.0f B per client"
                    + " (no growth: nothing is queued)%n", seconds, (double) more, (double) (later - stalled) / n);
            System.out.printf(Locale.ROOT, "result {\"connections\":%d,\"kernel_bytes_per_client\":%.0f,"
                            + "\"heap_bytes_per_slow_client\":%.0f,\"heap_growth_bytes_per_client\":%.0f,\"bytes_after_stall\":%d}%n",
                    n, (double) taken / n, (double) (stalled - idle) / n, (double) (later - stalled) / n, more);
        } finally {
            for (SocketChannel c : clients) {
                c.close();
            }
            release.complete(null);
            loop.join();
            s.close();
        }
    }

    /** Writes rounds over every client until three rounds in a row, 100 ms apart, write nothing; returns the bytes written. */
    private static long writeUntilStalled(List<SocketChannel> clients, ByteBuffer data) throws Exception {
        long total = 0;
        for (int idleRounds = 0; idleRounds < 3; ) {
            long n = writeRound(clients, data);
            total += n;
            idleRounds = n == 0 ? idleRounds + 1 : 0;
            Thread.sleep(100);
        }
        return total;
    }

    /** One non-blocking write attempt per client, until each would block; returns the bytes written. */
    private static long writeRound(List<SocketChannel> clients, ByteBuffer data) throws IOException {
        long total = 0;
        for (SocketChannel c : clients) {
            int k;
            do {
                data.clear();
                k = c.write(data);
                total += k;
            } while (k > 0);
        }
        return total;
    }
}
