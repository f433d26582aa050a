package dev.coro.os;

import dev.coro.spi.OsEvent;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * File changes through the JDK's {@link WatchService}, for pollers that do not watch files
 * themselves. JVM-wide: one watch service and one daemon thread exist while any watch is live, and
 * both end with the last watch (so an idle process holds no inotify fd or thread for this).
 *
 * <p>A watch service watches directories, so a file is watched through its parent: the events of
 * its name become changes of the file. What the JDK reports is coarser than kqueue's vnode events,
 * and the mapping says how: a modification is {@code EXTEND} and {@code WRITE} if the size grew,
 * {@code WRITE} if the modification time moved, else {@code ATTRIB}; a name that disappears or now
 * names another file is {@code DELETE} and {@code RENAME} (the JDK cannot tell them apart); a
 * watched directory reports {@code WRITE} for any change of its entries and {@code DELETE} when it
 * can no longer be watched. Each set is masked by the watch's interest; an event of no interest
 * leaves the watch waiting. An overflow (events lost) reports every bit of interest.
 *
 * <p>Invariants, under {@link #LOCK}: {@code dirs} holds exactly the directories some live watch
 * needs, each with its key; {@code service} is non-null iff {@code dirs} is non-empty.
 */
final class JdkFileWatch {
    private static final Object LOCK = new Object();
    private static WatchService service;
    private static final Map<Path, Dir> dirs = new HashMap<>();
    private static final Map<WatchKey, Dir> byKey = new HashMap<>();

    private JdkFileWatch() {
    }

    private static final class Dir {
        final Path path;
        final WatchKey key;
        final List<Watch> watches = new ArrayList<>();

        Dir(Path path, WatchKey key) {
            this.path = path;
            this.key = key;
        }
    }

    /** One coro's wait for a change; {@link #result} gets the change bits. */
    static final class Watch implements AutoCloseable {
        final Dir dir;
        /** The watched file's name in {@code dir}, or null when {@code dir} itself is watched. */
        final Path name;
        final int interest;
        final CompletableFuture<Integer> result = new CompletableFuture<>();
        private long size;
        private long modified;

        Watch(Dir dir, Path name, int interest, BasicFileAttributes attrs) {
            this.dir = dir;
            this.name = name;
            this.interest = interest;
            this.size = attrs.size();
            this.modified = attrs.lastModifiedTime().to(java.util.concurrent.TimeUnit.NANOSECONDS);
        }

        @Override
        public void close() {
            synchronized (LOCK) {
                if (dir.watches.remove(this) && dir.watches.isEmpty()) {
                    dir.key.cancel();
                    dirs.remove(dir.path);
                    byKey.remove(dir.key);
                    if (dirs.isEmpty()) {
                        closeService();
                    }
                }
            }
        }

        /** Completes with what {@code kind} of {@code context} means for this watch, if it is of interest. */
        void offer(WatchEvent.Kind<?> kind, Path context) {
            int bits;
            if (kind == StandardWatchEventKinds.OVERFLOW) {
                bits = interest;
            } else if (name == null) {
                bits = OsEvent.FileChange.WRITE;
            } else if (!name.equals(context)) {
                return;
            } else if (kind == StandardWatchEventKinds.ENTRY_MODIFY) {
                bits = modification();
            } else {
                bits = OsEvent.FileChange.DELETE | OsEvent.FileChange.RENAME; // gone, or the name now names another file
            }
            if ((bits & interest) != 0) {
                result.complete(bits & interest);
            }
        }

        private int modification() {
            try {
                BasicFileAttributes a = Files.readAttributes(dir.path.resolve(name), BasicFileAttributes.class,
                        LinkOption.NOFOLLOW_LINKS);
                long m = a.lastModifiedTime().to(java.util.concurrent.TimeUnit.NANOSECONDS);
                int bits = a.size() > size ? OsEvent.FileChange.EXTEND | OsEvent.FileChange.WRITE
                        : m != modified ? OsEvent.FileChange.WRITE : OsEvent.FileChange.ATTRIB;
                size = a.size();
                modified = m;
                return bits;
            } catch (IOException e) {
                return OsEvent.FileChange.DELETE | OsEvent.FileChange.RENAME; // gone since the event
            }
        }
    }

    /** Starts watching {@code path} (which must exist) for {@code interest} (OsEvent.FileChange bits). */
    static Watch watch(Path path, int interest) throws IOException {
        Path abs = path.toAbsolutePath().normalize();
        BasicFileAttributes attrs = Files.readAttributes(abs, BasicFileAttributes.class);
        boolean isDir = attrs.isDirectory();
        Path dirPath = isDir ? abs : abs.getParent();
        if (dirPath == null) {
            throw new IllegalArgumentException("cannot watch " + path + ": it has no parent directory to watch it through");
        }
        synchronized (LOCK) {
            if (service == null) {
                startService();
            }
            Dir d = dirs.get(dirPath);
            if (d == null) {
                WatchKey key;
                try {
                    key = dirPath.register(service, StandardWatchEventKinds.ENTRY_CREATE,
                            StandardWatchEventKinds.ENTRY_DELETE, StandardWatchEventKinds.ENTRY_MODIFY);
                } catch (IOException | RuntimeException e) {
                    if (dirs.isEmpty()) {
                        closeService();
                    }
                    throw e;
                }
                d = new Dir(dirPath, key);
                dirs.put(dirPath, d);
                byKey.put(key, d);
            }
            Watch w = new Watch(d, isDir ? null : abs.getFileName(), interest, attrs);
            d.watches.add(w);
            return w;
        }
    }

    /** Live watches (tests: none is left behind). */
    static int liveWatches() {
        synchronized (LOCK) {
            int n = 0;
            for (Dir d : dirs.values()) {
                n += d.watches.size();
            }
            return n;
        }
    }

    private static void startService() throws IOException {
        WatchService s = FileSystems.getDefault().newWatchService();
        service = s;
        Thread.ofPlatform().daemon().name("coro-file-watch").start(() -> deliver(s));
    }

    private static void closeService() {
        try {
            service.close(); // its thread's take() then throws ClosedWatchServiceException and it ends
        } catch (IOException e) {
            System.getLogger("dev.coro.os").log(System.Logger.Level.WARNING, "closing the file watch service failed", e);
        }
        service = null;
    }

    /** The watch service's thread: hands each event to the watches of its directory. */
    private static void deliver(WatchService s) {
        try {
            while (true) {
                WatchKey key = s.take();
                synchronized (LOCK) {
                    Dir d = byKey.get(key);
                    List<WatchEvent<?>> events = key.pollEvents();
                    if (d == null) {
                        continue; // cancelled since
                    }
                    for (WatchEvent<?> e : events) {
                        for (Watch w : d.watches) {
                            w.offer(e.kind(), (Path) e.context());
                        }
                    }
                    if (!key.reset()) {
                        for (Watch w : d.watches) {
                            // The directory is gone (or moved, or unmounted): the watched thing with it.
                            int gone = w.interest & (OsEvent.FileChange.DELETE | OsEvent.FileChange.RENAME);
                            if (gone != 0) {
                                w.result.complete(gone);
                            } else {
                                w.result.completeExceptionally(new java.nio.file.NoSuchFileException(d.path.toString(),
                                        null, "the watched directory can no longer be watched (deleted or moved)"));
                            }
                        }
                    }
                }
            }
        } catch (ClosedWatchServiceException | InterruptedException e) {
            // the last watch ended
        }
    }
}
