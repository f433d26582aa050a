package dev.coro.poll.kqueue;

import dev.coro.Scheduler;
import dev.coro.spi.PollerProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** Discovery, default selection, and the reasons kqueue gives where it cannot run (child JVMs). */
class ProviderTest {
    private static final String EXPORT = "--add-exports java.base/sun.nio.ch=ALL-UNNAMED";
    private static final String NATIVE_ACCESS = "--enable-native-access=ALL-UNNAMED";

    @TempDir
    Path tmp;

    @Test
    void serviceLoaderFindsKqueueAboveNio() {
        List<PollerProvider> found = ServiceLoader.load(PollerProvider.class).stream().map(ServiceLoader.Provider::get)
                .filter(p -> p.name().equals("kqueue")).toList();
        assertEquals(1, found.size());
        assertEquals(200, found.getFirst().priority());
    }

    @Test
    void availableUnderCoroJvmargsAndTheDefaultPoller() {
        KqueueShim.require();
        assertEquals(Optional.empty(), new KqueuePollerProvider().unavailableReason());
        try (Scheduler s = Scheduler.builder().switcher("native").build()) {
            String dump = s.run(s::dump);
            assertTrue(dump.contains("poller kqueue"), dump);
        }
    }

    @Test
    void onLinuxWithoutTheShimTheReasonNamesTheOs() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(
                System.getProperty("os.name").toLowerCase(java.util.Locale.ROOT).contains("linux"),
                "elsewhere libc has kqueue");
        String out = child(List.of("@" + System.getProperty("coro.jvmargs")));
        assertTrue(out.contains("REASON poller kqueue cannot run here: kqueue needs FreeBSD or macOS (this is Linux)")
                && out.contains("coro.kqueue.library"), out);
        assertTrue(out.contains("BUILD IllegalStateException: poller 'kqueue' cannot run in this JVM")
                && out.contains("this is Linux"), out);
    }

    @Test
    void withoutTheFlagsTheReasonNamesBoth() throws Exception {
        String out = child(List.of());
        assertTrue(out.contains("REASON poller kqueue needs the JVM flags " + EXPORT + " and " + NATIVE_ACCESS), out);
        assertTrue(out.contains("coro.jvmargs"), out);
    }

    /** Runs {@link UnavailableMain} in a child JVM with {@code flags}; its output. */
    private String child(List<String> flags) throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command().orElseThrow();
        List<String> cmd = new ArrayList<>();
        cmd.add(java);
        cmd.addAll(flags);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), UnavailableMain.class.getName()));
        Path log = tmp.resolve("child.log");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                fail("child JVM did not finish in 60 s: " + cmd);
            }
            String out = Files.readString(log);
            assertEquals(0, p.exitValue(), out);
            return out;
        } finally {
            p.destroyForcibly();
        }
    }

    /** Prints the provider's reason and what building a scheduler with kqueue says. */
    public static final class UnavailableMain {
        public static void main(String[] args) {
            System.out.println("REASON " + new KqueuePollerProvider().unavailableReason().orElse("<none>"));
            try (Scheduler s = Scheduler.builder().poller("kqueue").build()) {
                System.out.println("BUILD ok " + s);
            } catch (RuntimeException e) {
                System.out.println("BUILD " + e.getClass().getSimpleName() + ": " + e.getMessage());
            }
        }
    }
}
