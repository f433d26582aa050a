package dev.coro.poll.kqueue;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Fails a test that leaves more (or fewer) open file descriptors than it found, listing the
 * difference (from /proc/self/fd; skipped where that does not exist). A warm-up before the first
 * test opens what the JVM keeps for good (jars, the JDK's own pipes and selectors, JNA's library).
 */
public final class FdLeakCheck implements BeforeEachCallback, AfterEachCallback {
    private static final Path FDS = Path.of("/proc/self/fd");
    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(FdLeakCheck.class);
    private static volatile boolean warmedUp;

    @Override
    public void beforeEach(ExtensionContext context) throws Exception {
        if (!Files.isDirectory(FDS)) {
            return;
        }
        if (!warmedUp) {
            NetTestSupport.warmUp();
            warmedUp = true;
        }
        context.getStore(NS).put("fds", openFds());
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        @SuppressWarnings("unchecked")
        Set<String> before = (Set<String>) context.getStore(NS).get("fds");
        if (before == null) {
            return;
        }
        Set<String> after = openFds();
        if (!after.equals(before)) {
            Set<String> added = new TreeSet<>(after);
            added.removeAll(before);
            Set<String> gone = new TreeSet<>(before);
            gone.removeAll(after);
            fail("file descriptors before and after the test differ: " + before.size() + " -> " + after.size()
                    + "; opened and not closed: " + added + "; closed that were open before: " + gone);
        }
    }

    /** Each open fd as "number -> target". */
    static Set<String> openFds() throws IOException {
        String listing = "/proc/" + ProcessHandle.current().pid() + "/fd";
        try (Stream<Path> s = Files.list(FDS)) {
            return s.map(p -> {
                try {
                    return p.getFileName() + " -> " + Files.readSymbolicLink(p);
                } catch (IOException e) {
                    return null; // the fd Files.list itself used, closed by now
                }
            }).filter(x -> x != null && !x.endsWith(" -> " + listing)).collect(Collectors.toCollection(TreeSet::new));
        }
    }
}
