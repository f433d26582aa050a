package dev.coro.tck;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * What a check leaves behind: platform threads counted by identity (a leaked thread named like one
 * an earlier run left is still a leak) and open fds (from {@code /proc/self/fd}, where there is
 * one). Invariant: the JDK's shared threads (virtual-thread carriers, the common pool, the JVM's
 * own service threads) are not counted: they come and go with the JVM, not with a backend.
 */
public final class Leaks {
    private static final Path FDS = Path.of("/proc/self/fd");

    private final Set<Thread> threads;
    private final Set<Integer> fds;

    private Leaks(Set<Thread> threads, Set<Integer> fds) {
        this.threads = threads;
        this.fds = fds;
    }

    /** What is there now. */
    public static Leaks snapshot() {
        Set<Thread> ts = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.isAlive() && !shared(t)) {
                ts.add(t);
            }
        }
        return new Leaks(ts, openFds());
    }

    /**
     * Threads started since this snapshot that are still alive after waiting for each at most what is
     * left of {@code bound} (a thread that is ending gets to end), and fds opened since that are still
     * open. Empty if nothing is left.
     */
    public List<String> leftSince(Duration bound) {
        long deadline = System.nanoTime() + bound.toNanos();
        List<String> left = new ArrayList<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (threads.contains(t) || shared(t) || t == Thread.currentThread()) {
                continue;
            }
            try {
                t.join(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (t.isAlive()) {
                left.add("thread '" + t.getName() + "' (" + t.getState() + ") in "
                        + Stream.of(t.getStackTrace()).limit(6).map(String::valueOf).collect(Collectors.joining(" < ")));
            }
        }
        Set<Integer> now = openFds();
        now.removeAll(fds);
        for (int fd : now) {
            left.add("fd " + fd + " -> " + target(fd));
        }
        return left;
    }

    private static boolean shared(Thread t) {
        String c = t.getClass().getName();
        if (c.equals("jdk.internal.misc.CarrierThread") || c.equals("jdk.internal.misc.InnocuousThread")) {
            return true;
        }
        if (t instanceof ForkJoinWorkerThread w && w.getPool() == ForkJoinPool.commonPool()) {
            return true;
        }
        ThreadGroup g = t.getThreadGroup();
        return g != null && g.getParent() == null; // the "system" group: the JVM's service threads
    }

    private static Set<Integer> openFds() {
        Set<Integer> out = new TreeSet<>();
        if (!Files.isDirectory(FDS)) {
            return out;
        }
        try (Stream<Path> list = Files.list(FDS)) {
            list.forEach(p -> {
                try {
                    out.add(Integer.parseInt(p.getFileName().toString()));
                } catch (NumberFormatException e) {
                    // not an fd
                }
            });
        } catch (IOException e) {
            return out;
        }
        // The directory stream itself had an fd of its own while listing: drop fds no longer open.
        out.removeIf(fd -> !Files.exists(FDS.resolve(Integer.toString(fd)), java.nio.file.LinkOption.NOFOLLOW_LINKS));
        return out;
    }

    private static String target(int fd) {
        try {
            return Files.readSymbolicLink(FDS.resolve(Integer.toString(fd))).toString();
        } catch (IOException | UnsupportedOperationException e) {
            return "?";
        }
    }
}
