package dev.coro.examples.c10k;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The README's main job, small: the demo starts the server in a second JVM, holds every connection,
 * prints plain progress lines (not a terminal here) and the table, and leaves no server behind.
 */
class C10kEchoDemoTest {

    private record Run(int status, String out, String err) {
    }

    private static Run demo(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = C10kEchoDemo.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), false);
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void twoProcessesEveryConnectionOpenATableAndNoServerLeft() {
        Run r = demo("--connections", "40", "--duration", "0.5", "--size", "48");
        String text = r.out();
        assertEquals(0, r.status(), "status; out:\n" + text + "\nerr:\n" + r.err());
        assertFalse(text.contains("\r"), "not a terminal, yet the progress line was rewritten in place:\n" + text);
        assertTrue(text.contains("ramp-up") && text.contains(": 40/40 open"), "no ramp-up line with all open:\n" + text);
        assertTrue(text.contains("peak concurrent connections  40 of 40"), text);
        assertTrue(text.contains("errors                       0 (0 connects failed, 0 not attempted, 0 during echoes)"), text);
        assertTrue(text.contains("echoes of 48 bytes"), text);
        assertTrue(text.matches("(?s).*server heap per connection +-?[0-9.]+ (B|KiB|MiB) \\(used after GC: .* with 40 open.*"), text);
        assertTrue(text.matches("(?s).*server RSS per connection +-?[0-9.]+ (B|KiB|MiB) \\(RSS: .* with 40 open.*"), text);
        assertTrue(text.matches("(?s).*latency p50 / p99 / p99.9 +[0-9.]+ / [0-9.]+ / [0-9.]+ ms.*"), text);

        long echoes = Long.parseLong(group(text, "\\(([0-9,]+) echoes").replace(",", ""));
        assertTrue(echoes >= 40, "fewer echoes than connections in the window:\n" + text);

        assertEquals(group(text, "server: +pid [0-9]+ on \\S+, (switch '[^']+', poller '[^']+')"),
                group(text, "load generator: pid [0-9]+, (switch '[^']+', poller '[^']+')"),
                "the server must run this JVM's backends (its -D options pass on):\n" + text);
        long server = Long.parseLong(group(text, "server: +pid ([0-9]+)"));
        long load = Long.parseLong(group(text, "load generator: pid ([0-9]+)"));
        assertEquals(ProcessHandle.current().pid(), load, "the load generator is this JVM");
        assertTrue(server != load, "the server must be a process of its own");
        // close() waited for the server's exit, so it is gone by now; no sleep needed.
        assertFalse(ProcessHandle.of(server).map(ProcessHandle::isAlive).orElse(false), "server pid " + server + " outlived the demo");
    }

    @Test
    void helpAndBadFlagsStopBeforeAnyProcessStarts() {
        Run help = demo("--help");
        assertEquals(0, help.status());
        assertTrue(help.out().contains("--connections N") && help.out().contains("-Dcoro.switch=loom"), help.out());

        String[][] bad = {
                {"--connections", "0"}, {"--connections", "lots"}, {"--size"}, {"--nonsense", "1"}, {"100", "5"},
                {"--duration", "-1"}, {"--connections", "10", "-Dcoro.switch=loom"}, {"--pending", "99999"},
                {"--connections", "1", "--connections", "2"}};
        String[] says = {
                "--connections must be between 1 and 1000000, not 0", "--connections must be a whole number, not 'lots'",
                "--size needs a value", "unknown flag --nonsense", "not a flag: '100'",
                "--duration must be between", "JVM option '-Dcoro.switch=loom' after the demo's flags",
                "--pending must be between 1 and 4096", "--connections given twice"};
        for (int i = 0; i < bad.length; i++) {
            Run r = demo(bad[i]);
            assertEquals(2, r.status(), String.join(" ", bad[i]));
            assertTrue(r.err().startsWith("bin/demo: " + says[i]), "for " + String.join(" ", bad[i]) + ": " + r.err());
            assertEquals("", r.out(), "a bad flag must not start the run");
        }
    }

    @Test
    void moreConnectionsThanTheFdLimitIsRefusedWithTheLimit() {
        Run r = demo("--connections", "1000000");
        assertEquals(2, r.status());
        assertTrue(r.err().contains("file descriptors") || r.err().contains("ip_local_port_range"), r.err());
    }

    private static String group(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        assertTrue(m.find(), "no match for " + regex + " in:\n" + text);
        return m.group(1);
    }
}
