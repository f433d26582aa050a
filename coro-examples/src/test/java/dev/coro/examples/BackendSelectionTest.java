package dev.coro.examples;

import dev.coro.Scheduler;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
        assertTrue(probe("native").contains("--add-exports java.base/jdk.internal.vm=ALL-UNNAMED"), probe("native"));
        assertTrue(probe("loom").contains("--add-opens java.base/java.lang=ALL-UNNAMED"), probe("loom"));
        String none = probe("");
        assertTrue(none.contains("no switch backend can run") && none.contains("--add-exports")
                && none.contains("--add-opens"), none);
    }

    /** Runs {@link SelectionProbe} in a JVM without the coro flags and returns what it printed. */
    private static String probe(String switcher) throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command().orElseThrow();
        List<String> cmd = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"),
                SelectionProbe.class.getName()));
        if (!switcher.isEmpty()) {
            cmd.add(switcher);
        }
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try {
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                throw new AssertionError("probe JVM did not finish within 60 s");
            }
            return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        } finally {
            p.destroyForcibly();
        }
    }
}
