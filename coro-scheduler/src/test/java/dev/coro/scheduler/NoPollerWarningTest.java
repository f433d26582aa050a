package dev.coro.scheduler;

import dev.coro.Scheduler;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Without a poller module (as on this module's test class path) {@code build()} warns once that
 * sockets will fail, instead of the user learning it at the first accept. In a child JVM: the
 * warning is once per JVM, and this JVM's other tests build schedulers too.
 */
class NoPollerWarningTest {

    /** The child: builds two schedulers with no poller on the class path. */
    public static final class Main {
        public static void main(String[] args) {
            for (int i = 0; i < 2; i++) {
                System.out.println("built, poller " + Scheduler.builder().switcher("handoff").build().pollerName());
            }
        }
    }

    @Test
    void buildWarnsOnceThatSocketsWillFailAndNamesThePollerDependency() throws Exception {
        String out = run(Main.class);
        List<String> warnings = out.lines().filter(l -> l.contains("no poller on the class path")).toList();
        assertEquals(1, warnings.size(), "one warning for two builds:\n" + out);
        assertTrue(warnings.getFirst().contains("WARNING") && warnings.getFirst().contains("dev.coro:coro-poll-nio")
                && warnings.getFirst().contains("socket"), out);
        assertEquals(2, out.lines().filter(l -> l.equals("built, poller none")).count(), out);
    }

    /** Runs {@code main} in a JVM with this class path and returns stdout and stderr, merged. */
    private static String run(Class<?> main) throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command().orElseThrow();
        // JUL's SimpleFormatter puts a record on two lines; one line makes "one warning" countable.
        Process p = new ProcessBuilder(java, "-Djava.util.logging.SimpleFormatter.format=%4$s: %5$s%n",
                "-cp", System.getProperty("java.class.path"), main.getName())
                .redirectErrorStream(true).start();
        try {
            // A few lines of output (far below a pipe's buffer), so waiting first cannot block the child.
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                fail("child JVM did not finish within 60 s");
            }
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(0, p.exitValue(), out);
            return out;
        } finally {
            p.destroyForcibly();
        }
    }
}
