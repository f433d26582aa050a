package dev.coro.loomswitch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.coro.spi.SwitchProvider;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LoomSwitchProviderTest {

    @TempDir
    Path tmp;

    @Test
    void foundByServiceLoader() {
        List<SwitchProvider> loom = ServiceLoader.load(SwitchProvider.class).stream()
                .map(ServiceLoader.Provider::get)
                .filter(p -> p.name().equals("loom"))
                .toList();
        assertEquals(1, loom.size(), "exactly one provider named loom");
        assertEquals(100, loom.get(0).priority());
        assertTrue(loom.get(0) instanceof LoomSwitchProvider);
    }

    @Test
    void availableUnderTheArgfileFlags() {
        assertEquals(Optional.empty(), new LoomSwitchProvider().unavailableReason());
    }

    @Test
    void describeIsTheNameWhenPollerModeIsOne() {
        assertEquals("1", System.getProperty("jdk.pollerMode"), "surefire runs with coro.jvmargs");
        try (Harness h = new Harness()) {
            assertEquals("loom", h.backend.describe());
            assertEquals("loom", h.backend.name());
        }
    }

    @Test
    void withoutAddOpensTheReasonNamesTheFlag() throws Exception {
        String out = runProbe(List.of());
        assertTrue(out.contains("reason=") && out.contains("--add-opens java.base/java.lang=ALL-UNNAMED"),
                "child JVM output: " + out);
    }

    @Test
    void withoutPollerModeOpenWarns() throws Exception {
        String out = runProbe(List.of("--add-opens", "java.base/java.lang=ALL-UNNAMED"), "open");
        assertTrue(out.contains("reason=<none>"), out);
        assertTrue(out.contains("WARNING") && out.contains("-Djdk.pollerMode=1"), "expected the warning: " + out);
        assertTrue(out.contains("describe=loom (jdk.pollerMode=null"), out);
    }

    /** Runs {@link ProbeMain} in a child JVM with only {@code jvmFlags}; returns stdout and stderr. */
    private String runProbe(List<String> jvmFlags, String... args) throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command().orElseThrow();
        List<String> cmd = new ArrayList<>();
        cmd.add(java);
        cmd.addAll(jvmFlags);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(ProbeMain.class.getName());
        cmd.addAll(List.of(args));
        File log = tmp.resolve("probe.log").toFile();
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log).start();
        try {
            if (!p.waitFor(Harness.WAIT_SECONDS, TimeUnit.SECONDS)) {
                fail("child JVM did not finish within " + Harness.WAIT_SECONDS + " s: " + cmd);
            }
            String out = Files.readString(log.toPath());
            assertEquals(0, p.exitValue(), "child JVM failed: " + out);
            return out;
        } finally {
            p.destroyForcibly();
        }
    }
}
