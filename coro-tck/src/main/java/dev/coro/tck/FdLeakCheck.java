package dev.coro.tck;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * A JUnit extension ({@code @ExtendWith(FdLeakCheck.class)}) that fails a test that leaves more (or
 * fewer) open file descriptors than it found, listing the difference (read from /proc/self/fd; the
 * check is skipped where that does not exist, e.g. macOS and FreeBSD). Tests must end their
 * scheduler runs inside the test, so that the poller has deregistered and closed every channel.
 *
 * <p>Warm-up, so that fds the JVM keeps for good after their first use do not count: before the
 * first checked test of the JVM it creates and deletes a temp directory (SecureRandom keeps
 * /dev/random and /dev/urandom open), opens and closes a {@code Selector}, and runs every
 * {@link WarmUp} that {@link ServiceLoader} finds (a module registers one in
 * {@code META-INF/services/dev.coro.tck.FdLeakCheck$WarmUp}, e.g. for a native library's first
 * call); before each test whose instance is a {@link WarmUp} it runs that too (the socket
 * verifications warm up their own poller and switch, once each).
 */
public final class FdLeakCheck implements BeforeEachCallback, AfterEachCallback {
    private static final Path FDS = Path.of("/proc/self/fd");
    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(FdLeakCheck.class);
    private static volatile boolean warmedUp;

    /** Opens what stays open for good after its first use; must be idempotent and cheap the second time. */
    public interface WarmUp {
        /** Uses, once per JVM, whatever keeps an fd open after its first use. */
        void warmUp() throws Exception;
    }

    /** True where fds can be listed (/proc/self/fd): where this extension checks anything. */
    public static boolean available() {
        return Files.isDirectory(FDS);
    }

    @Override
    public void beforeEach(ExtensionContext context) throws Exception {
        if (!available()) {
            return;
        }
        warmUpJvm();
        if (context.getTestInstance().orElse(null) instanceof WarmUp w) {
            w.warmUp();
        }
        context.getStore(NS).put("fds", openFds());
    }

    private static synchronized void warmUpJvm() throws Exception {
        if (warmedUp) {
            return;
        }
        Files.delete(Files.createTempDirectory("coro-warmup"));
        java.nio.channels.Selector.open().close();
        for (WarmUp w : ServiceLoader.load(WarmUp.class)) {
            w.warmUp();
        }
        warmedUp = true;
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

    /**
     * Each open fd as "number -&gt; target" (read from /proc/self/fd; call only where
     * {@link #available()}).
     *
     * @throws IOException if /proc/self/fd cannot be listed
     */
    public static Set<String> openFds() throws IOException {
        String listing = "/proc/" + ProcessHandle.current().pid() + "/fd";
        try (Stream<Path> s = Files.list(FDS)) {
            return s.map(p -> {
                try {
                    return p.getFileName() + " -> " + Files.readSymbolicLink(p);
                } catch (IOException e) {
                    return null; // the fd Files.list itself used, closed by now
                }
            }).filter(x -> x != null && !x.endsWith(" -> " + listing)) // the listing's own fd
                    .collect(Collectors.toCollection(TreeSet::new));
        }
    }
}
