package dev.coro.scheduler;

import dev.coro.Coro;
import dev.coro.Scheduler;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Rule 7's default handler (issue 10): an {@code IOException} ending a coro — a peer's reset, as
 * normal traffic — is one WARNING line with the coro's id, name and message, and its stack only at
 * DEBUG; other failures keep their stack at ERROR. In a child JVM, so that this JVM's logging
 * configuration is left alone; the child's JUL format puts each record's message on one line and
 * the stack (if any) on the lines after it.
 */
class UncaughtIoFailureLogTest {

    /** The child: three coros that fail, joined so that every record is out before the JVM ends. */
    public static final class Main {
        public static void main(String[] args) {
            Scheduler.builder().switcher("handoff").build().run(() -> {
                List<Coro<Object>> all = List.of(
                        Coro.spawn("conn-reset", () -> {
                            throw new SocketException("Connection reset\nby a peer that is gone");
                        }),
                        Coro.spawn("conn-unchecked", () -> {
                            throw new UncheckedIOException(new IOException("Broken pipe"));
                        }),
                        Coro.spawn("conn-bug", () -> {
                            throw new IllegalStateException("a bug, not traffic");
                        }));
                for (Coro<Object> c : all) {
                    try {
                        c.join();
                    } catch (RuntimeException expected) {
                        // each coro's failure also reaches its joiner; the log is what is tested
                    }
                }
                return null;
            });
            System.out.println("child done");
        }
    }

    @Test
    void rule7_anIoExceptionEndingACoroIsOneWarningLineAndOtherFailuresKeepTheirStack() throws Exception {
        List<String> out = run(null);
        List<String> reset = matching(out, "'conn-reset'");
        assertEquals(1, reset.size(), "one line for the reset coro:\n" + String.join("\n", out));
        assertTrue(reset.getFirst().matches("WARNING: coro #\\d+ 'conn-reset' ended by java\\.net\\.SocketException:"
                + " Connection reset by a peer that is gone"), reset.getFirst());
        List<String> unchecked = matching(out, "'conn-unchecked'");
        assertEquals(1, unchecked.size(), String.join("\n", out));
        assertTrue(unchecked.getFirst().startsWith("WARNING: ") && unchecked.getFirst().contains("Broken pipe"),
                unchecked.getFirst());
        assertTrue(matching(out, "SocketException").size() == 1 && matching(out, "Broken pipe").size() == 1,
                "no stack or cause lines for I/O failures:\n" + String.join("\n", out));

        int bug = indexOf(out, "'conn-bug'");
        assertTrue(bug >= 0 && out.get(bug).matches("SEVERE: coro #\\d+ 'conn-bug' failed"), String.join("\n", out));
        assertTrue(out.get(bug + 1).equals("java.lang.IllegalStateException: a bug, not traffic")
                && out.get(bug + 2).startsWith("\tat "), "a bug keeps its stack:\n" + String.join("\n", out));
    }

    @Test
    void theStackOfAnIoFailureIsLoggedAtDebug() throws Exception {
        Path config = Files.createTempFile("coro-logging", ".properties");
        try {
            Files.writeString(config, """
                    handlers=java.util.logging.ConsoleHandler
                    java.util.logging.ConsoleHandler.level=FINE
                    dev.coro.scheduler.level=FINE
                    """);
            List<String> out = run(config);
            int warning = indexOf(out, "'conn-reset' ended by");
            assertTrue(warning >= 0 && out.get(warning).startsWith("WARNING: "), String.join("\n", out));
            int debug = indexOf(out, "'conn-reset': the stack of the failure above");
            assertTrue(debug > warning && out.get(debug).startsWith("FINE: "), String.join("\n", out));
            assertTrue(out.get(debug + 1).startsWith("java.net.SocketException: Connection reset")
                    && out.stream().skip(debug + 1).anyMatch(l -> l.startsWith("\tat ")), String.join("\n", out));
        } finally {
            Files.delete(config);
        }
    }

    private static List<String> matching(List<String> lines, String what) {
        return lines.stream().filter(l -> l.contains(what)).toList();
    }

    private static int indexOf(List<String> lines, String what) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(what)) {
                return i;
            }
        }
        return -1;
    }

    /** Runs {@link Main} in a JVM with this class path (and {@code loggingConfig}, if not null); returns its output lines. */
    private static List<String> run(Path loggingConfig) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElseThrow(),
                "-Djava.util.logging.SimpleFormatter.format=%4$s: %5$s%6$s%n"));
        if (loggingConfig != null) {
            cmd.add("-Djava.util.logging.config.file=" + loggingConfig);
        }
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try {
            // Some tens of lines (far below a pipe's buffer), so waiting first cannot block the child.
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                fail("child JVM did not finish within 60 s");
            }
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(0, p.exitValue(), out);
            assertTrue(out.contains("child done"), out);
            return out.lines().toList();
        } finally {
            p.destroyForcibly();
            p.getInputStream().close();
        }
    }
}
