package dev.coro.examples;

import dev.coro.Scheduler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.spi.ToolProvider;
import java.util.stream.Collectors;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** DESIGN.md §1: backends found through ServiceLoader, chosen by builder, property or default order. */
class BackendSelectionTest {

    @Test
    void defaultOrderPrefersNativeOverLoom() {
        String old = System.clearProperty("coro.switch");
        try {
            assertEquals("native", Scheduler.builder().build().switcherName());
        } finally {
            if (old != null) {
                System.setProperty("coro.switch", old);
            }
        }
    }

    @Test
    void builderAndSystemPropertyChoose() {
        assertEquals("loom", Scheduler.builder().switcher("loom").build().switcherName());
        String old = System.setProperty("coro.switch", "loom");
        try {
            assertEquals("loom", Scheduler.builder().build().switcherName());
            assertEquals("native", Scheduler.builder().switcher("native").build().switcherName(),
                    "the builder wins over the property");
        } finally {
            if (old == null) {
                System.clearProperty("coro.switch");
            } else {
                System.setProperty("coro.switch", old);
            }
        }
    }

    @Test
    void unknownNameListsWhatWasFound() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Scheduler.builder().switcher("fibers").build());
        assertTrue(e.getMessage().contains("unknown switch backend 'fibers'"), e.getMessage());
        assertTrue(e.getMessage().contains("native") && e.getMessage().contains("loom"), e.getMessage());
        IllegalArgumentException p = assertThrows(IllegalArgumentException.class,
                () -> Scheduler.builder().poller("epoll").build());
        assertTrue(p.getMessage().contains("unknown poller 'epoll'"), p.getMessage());
    }

    @Test
    void missingJvmFlagsAreNamedWhenABackendIsChosenAndSkippedInTheDefaultOrder() throws Exception {
        // A JVM started without coro.jvmargs: native lacks its add-exports, loom its add-opens.
        String nativeOut = probe(List.of(), CLASS_PATH, "native");
        assertTrue(nativeOut.contains("cannot run in this JVM") && nativeOut.contains(EXPORTS_CP), nativeOut);
        // loom was found but cannot run either: its flag is named, it is not offered as the way out.
        assertTrue(nativeOut.contains("unable to run either: loom") && nativeOut.contains(OPENS_CP), nativeOut);
        assertFalse(nativeOut.contains("-Dcoro.switch=loom"), nativeOut);
        assertTrue(nativeOut.contains("dev.coro.spi.JvmArgs > coro.jvmargs"), "how to get the argfile: " + nativeOut);
        assertTrue(probe(List.of(), CLASS_PATH, "loom").contains(OPENS_CP), "loom");
        String none = probe(List.of(), CLASS_PATH, "");
        assertTrue(none.contains("no switch backend can run") && none.contains(EXPORTS_CP)
                && none.contains(OPENS_CP) && none.contains("dev.coro.spi.JvmArgs"), none);
        assertFalse(none.contains("Or add another"), "both of coro's switch backends are present: " + none);
    }

    @Test
    void anotherBackendIsSuggestedOnlyIfItWasFoundAndCanRun() throws Exception {
        String loomRuns = probe(List.of("--add-opens", "java.base/java.lang=ALL-UNNAMED"), CLASS_PATH, "native");
        assertTrue(loomRuns.contains(EXPORTS_CP) && loomRuns.contains("Or choose 'loom', which can run here: "
                + "-Dcoro.switch=loom or Scheduler.builder().switcher(\"loom\")"), loomRuns);
        String skipped = probe(List.of("--add-opens", "java.base/java.lang=ALL-UNNAMED"), CLASS_PATH, "");
        assertTrue(skipped.contains("built with loom") && skipped.contains(EXPORTS_CP),
                "the default order skips native, with a warning naming its flag: " + skipped);
    }

    @Test
    void withoutTheOtherBackendOnTheClassPathItsDependencyIsNamed() throws Exception {
        String cp = Arrays.stream(CLASS_PATH.split(File.pathSeparator))
                .filter(e -> !e.contains("coro-switch-loom")).collect(Collectors.joining(File.pathSeparator));
        assertFalse(cp.equals(CLASS_PATH), "the test class path has coro-switch-loom: " + CLASS_PATH);
        String out = probe(List.of(), cp, "native");
        assertTrue(out.contains(EXPORTS_CP) && out.contains("Or add another switch backend: dev.coro:coro-switch-loom"),
                out);
        assertFalse(out.contains("coro.switch=loom"), "loom is not on this class path: " + out);
        String unknown = probe(List.of(), cp, "loom");
        assertTrue(unknown.contains("unknown switch backend 'loom'") && unknown.contains("coro also has dev.coro:coro-switch-loom"),
                unknown);
    }

    @Test
    void onTheModulePathTheFlagsNameTheModules(@TempDir Path tmp) throws Exception {
        // Each coro jar is an automatic module there; the reactor's class path may hold class
        // directories, so jar them with the Automatic-Module-Name their real jars carry.
        Map<String, String> modules = Map.of("coro-api", "dev.coro.api", "coro-scheduler", "dev.coro.scheduler",
                "coro-switch-native", "dev.coro.nativeswitch", "coro-switch-loom", "dev.coro.loomswitch",
                "coro-poll-nio", "dev.coro.poll.nio");
        List<String> modulePath = new ArrayList<>();
        List<String> classPath = new ArrayList<>();
        for (String entry : CLASS_PATH.split(File.pathSeparator)) {
            Optional<String> artifact = modules.keySet().stream()
                    .filter(a -> entry.contains(File.separator + a + File.separator) || entry.contains(File.separator + a + "-"))
                    .findFirst();
            if (artifact.isEmpty() || entry.contains("test-classes")) {
                classPath.add(entry);
            } else if (Files.isDirectory(Path.of(entry))) {
                modulePath.add(jar(tmp, artifact.get(), modules.get(artifact.get()), Path.of(entry)).toString());
            } else {
                modulePath.add(entry);
            }
        }
        assertEquals(modules.size(), modulePath.size(), "coro's jars among " + CLASS_PATH);
        List<String> flags = List.of("--module-path", String.join(File.pathSeparator, modulePath),
                "--add-modules", "ALL-MODULE-PATH");
        String out = probe(flags, String.join(File.pathSeparator, classPath), "native");
        assertTrue(out.contains("--add-exports java.base/jdk.internal.vm=dev.coro.nativeswitch")
                && out.contains("--add-opens java.base/java.lang=dev.coro.loomswitch")
                && out.contains("On the module path"), out);
        assertFalse(out.contains("=ALL-UNNAMED"), out);
        List<String> withFlags = new ArrayList<>(flags);
        withFlags.addAll(List.of("--add-exports", "java.base/jdk.internal.vm=dev.coro.nativeswitch"));
        String built = probe(withFlags, String.join(File.pathSeparator, classPath), "native");
        assertTrue(built.contains("built with native"), "the named flag is the one that works: " + built);
    }

    @Test
    void withAPollerOnTheClassPathBuildDoesNotWarnAboutSockets() {
        Logger logger = Logger.getLogger("dev.coro.scheduler");
        List<LogRecord> records = new ArrayList<>();
        Handler handler = new Handler() {
            @Override
            public void publish(LogRecord r) {
                records.add(r);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        logger.addHandler(handler);
        try {
            assertEquals("nio", Scheduler.builder().build().pollerName());
        } finally {
            logger.removeHandler(handler);
        }
        assertTrue(records.stream().noneMatch(r -> r.getMessage().contains("no poller")), records.toString());
    }

    private static final String CLASS_PATH = System.getProperty("java.class.path");
    private static final String EXPORTS_CP = "--add-exports java.base/jdk.internal.vm=ALL-UNNAMED";
    private static final String OPENS_CP = "--add-opens java.base/java.lang=ALL-UNNAMED";

    /** A jar of {@code classes} with the Automatic-Module-Name {@code module}. */
    private static Path jar(Path tmp, String artifact, String module, Path classes) throws IOException {
        Path manifest = tmp.resolve(artifact + ".mf");
        Files.writeString(manifest, "Automatic-Module-Name: " + module + "\n");
        Path jar = tmp.resolve(artifact + ".jar");
        ToolProvider tool = ToolProvider.findFirst("jar").orElseThrow();
        int rc = tool.run(System.out, System.err, "--create", "--file", jar.toString(), "--manifest",
                manifest.toString(), "-C", classes.toString(), ".");
        assertEquals(0, rc, "jar of " + classes);
        return jar;
    }

    /**
     * Runs {@link SelectionProbe} in a JVM with only {@code jvmFlags} (not coro.jvmargs) and class path
     * {@code cp}; returns what it printed.
     */
    private static String probe(List<String> jvmFlags, String cp, String switcher) throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command().orElseThrow();
        List<String> cmd = new ArrayList<>(List.of(java));
        cmd.addAll(jvmFlags);
        cmd.addAll(List.of("-cp", cp, SelectionProbe.class.getName()));
        if (!switcher.isEmpty()) {
            cmd.add(switcher);
        }
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try {
            // The probe prints a few lines (far below a pipe's buffer), so waiting first cannot block it.
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                throw new AssertionError("probe JVM did not finish within 60 s");
            }
            return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        } finally {
            p.destroyForcibly();
        }
    }
}
