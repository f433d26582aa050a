package dev.coro.tck.net;

import dev.coro.Coro;
import dev.coro.CoroInterruptedException;
import dev.coro.console.Console;
import dev.coro.net.CoroServerSocket;
import dev.coro.net.CoroSocket;
import dev.coro.net.CoroSocketReader;
import dev.coro.scheduler.CoroContext;
import dev.coro.tck.LogCapture;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The console ({@code dev.coro.console.Console}, SPEC.md §5): each command's answer, and each refusal
 * — a non-loopback address without a token, a wrong token, no token, an unknown command, an
 * over-long line, {@code interrupt} of an unknown or finished id, one session too many. The clients
 * are coros of the same scheduler as the console, so every exchange is straight-line code; an
 * answer is read up to the console's prompt.
 */
public abstract class ConsoleVerification extends SocketVerificationBase {
    private static final byte[] PROMPT = "coro> ".getBytes(StandardCharsets.UTF_8);
    private static final String TOKEN = "correct-horse-battery-staple";

    /** A client session: its socket and reader. */
    private record Client(CoroSocket socket, CoroSocketReader in) implements AutoCloseable {
        static Client connect(SocketAddress address) throws IOException {
            CoroSocket s = CoroSocket.connectTo(address);
            return new Client(s, s.reader(1 << 20));
        }

        /** Everything up to the next prompt, without it; fails at the end of the stream. */
        String answer() throws IOException {
            byte[] b = in.readUntil(PROMPT);
            assertTrue(b != null && endsWithPrompt(b), "the console ended the session: "
                    + (b == null ? "nothing" : new String(b, StandardCharsets.UTF_8)));
            return new String(b, 0, b.length - PROMPT.length, StandardCharsets.UTF_8);
        }

        String ask(String line) throws IOException {
            send(line);
            return answer();
        }

        void send(String line) throws IOException {
            socket.sendAll((line + "\n").getBytes(StandardCharsets.UTF_8));
        }

        /** What the console sends before it closes the session (a console that does not close it fails in 10 s). */
        String rest() throws IOException {
            byte[] all = Coro.withTimeout(Duration.ofSeconds(10),
                    (java.util.concurrent.Callable<byte[]>) () -> in.inputStream().readAllBytes());
            return new String(all, StandardCharsets.UTF_8);
        }

        @Override
        public void close() {
            socket.close();
        }

        private static boolean endsWithPrompt(byte[] b) {
            if (b.length < PROMPT.length) {
                return false;
            }
            for (int i = 0; i < PROMPT.length; i++) {
                if (b[b.length - PROMPT.length + i] != PROMPT[i]) {
                    return false;
                }
            }
            return true;
        }
    }

    private static SocketAddress loopback() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    }

    /** Connects and reads the banner. */
    private static Client session(Console console) throws IOException {
        Client c = Client.connect(console.address());
        assertTrue(c.answer().startsWith("coro console: scheduler "), "the banner");
        return c;
    }

    // ---------------------------------------------------------------- commands

    @Test
    public void observability_consoleHelpListsEveryCommand() {
        String help = run(() -> {
            try (Console console = Console.start(loopback()); Client c = session(console)) {
                return c.ask("help");
            }
        });
        for (String command : List.of("stats", "dump", "coros", "interrupt ID", "profile on|off|report", "help", "quit")) {
            assertTrue(help.contains(command), "help lists '" + command + "':\n" + help);
        }
    }

    @Test
    public void observability_consoleStatsAnswersTheSchedulersCounters() {
        run(() -> {
            try (Console console = Console.start(loopback()); Client c = session(console)) {
                String stats = c.ask("stats");
                int live = scheduler().stats().liveCoros();
                assertEquals(String.valueOf(live), value(stats, "liveCoros"), stats);
                for (String counter : List.of("switches", "passes", "iterations", "runPhases", "largestBatch",
                        "polls", "runNanos", "pollWaitNanos")) {
                    assertTrue(Long.parseLong(value(stats, counter)) >= 0, counter + ":\n" + stats);
                }
                assertTrue(Long.parseLong(value(stats, "switches")) > 0, stats);
                return null;
            }
        });
    }

    private static dev.coro.Scheduler scheduler() {
        return dev.coro.scheduler.ConsoleSupport.scheduler("read the stats");
    }

    /** The value on the line {@code name value} of a stats answer. */
    private static String value(String stats, String name) {
        for (String line : stats.split("\n")) {
            String[] w = line.trim().split("\\s+");
            if (w.length == 2 && w[0].equals(name)) {
                return w[1];
            }
        }
        throw new AssertionError("no line '" + name + " N' in:\n" + stats);
    }

    @Test
    public void observability_consoleDumpAndCorosShowTheLiveCoros() {
        run(() -> {
            try (Console console = Console.start(loopback()); Client c = session(console)) {
                Coro<?> sleeper = Coro.spawn("console-sleeper", () -> Coro.sleep(Duration.ofDays(1)));
                Coro.yieldSlice();
                String dump = c.ask("dump");
                assertTrue(dump.contains("'console-sleeper' SLEEPING"), dump);
                assertTrue(dump.contains("sleep"), "with its stack:\n" + dump);
                String coros = c.ask("coros");
                assertTrue(coros.contains("coro #" + sleeper.id() + " 'console-sleeper' SLEEPING"), coros);
                assertTrue(coros.contains("sleep until"), "with what it waits for:\n" + coros);
                assertTrue(coros.contains("'main'"), coros);
                assertFalse(coros.contains("\tat ") || coros.contains(" at dev."), "no stacks:\n" + coros);
                sleeper.shutdown();
                return null;
            }
        });
    }

    @Test
    public void observability_consoleInterruptInterruptsTheCoroWithThatId() {
        run(() -> {
            try (Console console = Console.start(loopback()); Client c = session(console)) {
                Coro<Object> sleeper = Coro.spawn("interrupt-me", () -> {
                    try {
                        Coro.sleep(Duration.ofDays(1));
                        return "not interrupted";
                    } catch (CoroInterruptedException e) {
                        return e.value();
                    }
                });
                Coro.yieldSlice();
                String answer = c.ask("interrupt " + sleeper.id());
                assertEquals("interrupted coro #" + sleeper.id() + " 'interrupt-me'\n", answer);
                Object value = sleeper.join();
                assertTrue(String.valueOf(value).startsWith("interrupted from the console"), String.valueOf(value));
                return null;
            }
        });
    }

    @Test
    public void observability_consoleProfileTurnsTheProfilerOnAndOffAndReportsIt() {
        run(() -> {
            try (Console console = Console.start(loopback()); Client c = session(console)) {
                assertTrue(c.ask("profile on").startsWith("profiler on"));
                assertTrue(scheduler().profiler().isRunning());
                Coro.yieldSlice(); // the start applies from the next run phase
                Coro.spawn("profiled", () -> {
                    Coro.yieldSlice();
                    Coro.yieldSlice();
                }).join();
                String report = c.ask("profile report");
                assertTrue(report.startsWith("profile: "), report);
                assertTrue(report.lines().anyMatch(l -> l.endsWith("  profiled") && l.contains(" 3 ")),
                        "three resumes of 'profiled':\n" + report);
                assertTrue(c.ask("profile off").startsWith("profiler off"));
                assertFalse(scheduler().profiler().isRunning());
                assertTrue(c.ask("profile sideways").startsWith("error: usage: profile on|off|report"));
                return null;
            }
        });
    }

    @Test
    public void observability_consoleQuitEndsTheSessionAndAnEmptyLineIsJustAPrompt() {
        run(() -> {
            try (Console console = Console.start(loopback()); Client c = session(console)) {
                assertEquals("", c.ask(""));
                c.send("quit");
                assertEquals("bye\n", c.rest());
                return null;
            }
        });
    }

    @Test
    public void observability_consoleServesAUnixDomainSocketAndDeletesItsFileOnClose() throws IOException {
        Path dir = Files.createTempDirectory("coro-console");
        Path file = dir.resolve("c.sock");
        try {
            run(() -> {
                // A stale socket file (its server gone) is replaced.
                CoroServerSocket.bind(UnixDomainSocketAddress.of(file)).close();
                assertTrue(Files.exists(file));
                try (Console console = Console.start(UnixDomainSocketAddress.of(file))) {
                    IOException inUse = assertThrows(IOException.class,
                            () -> Console.start(UnixDomainSocketAddress.of(file)));
                    assertTrue(inUse.getMessage().contains("another process is listening"), inUse.getMessage());
                    try (Client c = session(console)) {
                        assertTrue(c.ask("help").contains("interrupt ID"));
                    }
                }
                assertFalse(Files.exists(file), "close deletes the socket file");
                return null;
            });
        } finally {
            Files.deleteIfExists(file);
            Files.delete(dir);
        }
    }

    @Test
    public void observability_aClosedConsoleEndsItsSessionsAndAcceptsNoMore() {
        run(() -> {
            Console console = Console.start(loopback());
            SocketAddress address = console.address();
            try (Client c = session(console)) {
                console.close();
                assertEquals("", c.rest(), "the session is closed, with nothing more said");
            }
            assertThrows(ConnectException.class, () -> CoroSocket.connectTo(address).close());
            return null;
        });
    }

    // ---------------------------------------------------------------- refusals

    @Test
    public void reliability_consoleRefusesANonLoopbackAddressWithoutAToken() {
        run(() -> {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Console.start(new InetSocketAddress("0.0.0.0", 0)));
            assertTrue(e.getMessage().contains("not a loopback address") && e.getMessage().contains("token"),
                    e.getMessage());
            // With a token it binds (and at once closes again).
            Console.builder().token(TOKEN).start(new InetSocketAddress("0.0.0.0", 0)).close();
            IllegalArgumentException shortToken = assertThrows(IllegalArgumentException.class,
                    () -> Console.builder().token("short"));
            assertTrue(shortToken.getMessage().contains("at least"), shortToken.getMessage());
            return null;
        });
    }

    @Test
    public void reliability_consoleRefusesAndLogsAWrongToken() {
        List<String> logged = captureConsoleLog(() -> run(() -> {
            try (Console console = Console.builder().token(TOKEN).start(loopback())) {
                try (Client c = Client.connect(console.address())) {
                    c.send(TOKEN.substring(1) + "X");
                    assertEquals("error: wrong token\n", c.rest());
                }
                try (Client c = Client.connect(console.address())) {
                    c.send(TOKEN);
                    assertTrue(c.answer().startsWith("coro console: "), "the right token opens the session");
                    assertTrue(c.ask("stats").contains("switches"));
                }
                return null;
            }
        }));
        assertEquals(1, logged.size(), logged.toString());
        assertTrue(logged.get(0).startsWith("WARNING ") && logged.get(0).contains("wrong token"), logged.toString());
    }

    @Test
    public void reliability_consoleRefusesAConnectionThatSendsNoToken() {
        List<String> logged = captureConsoleLog(() -> run(() -> {
            try (Console console = Console.builder().token(TOKEN).tokenTimeout(Duration.ofMillis(100)).start(loopback())) {
                try (Client c = Client.connect(console.address())) {
                    assertEquals("error: no token within 100 ms\n", c.rest(), "silence past the token timeout");
                }
                try (Client c = Client.connect(console.address())) {
                    c.socket().shutdownOutput();
                    assertEquals("error: closed before sending the token\n", c.rest());
                }
                try (Client c = Client.connect(console.address())) {
                    c.send("stats");
                    assertEquals("error: wrong token\n", c.rest(), "a command instead of the token");
                }
                return null;
            }
        }));
        assertEquals(3, logged.size(), logged.toString());
    }

    @Test
    public void reliability_consoleAnswersAnUnknownCommandWithAnErrorLineAndGoesOn() {
        run(() -> {
            try (Console console = Console.start(loopback()); Client c = session(console)) {
                assertEquals("error: unknown command 'frobnicate' ('help' lists the commands)\n", c.ask("frobnicate now"));
                assertEquals("error: unknown command '?[2J' ('help' lists the commands)\n", c.ask("\u001b[2J"),
                        "control characters are not echoed");
                assertTrue(c.ask("stats extra").startsWith("error: usage: stats"));
                assertTrue(c.ask("help").contains("coros"), "the session goes on");
                return null;
            }
        });
    }

    @Test
    public void reliability_consoleDiscardsAnOverLongLineWithAnErrorLineAndGoesOn() {
        run(() -> {
            try (Console console = Console.builder().maxLineLength(64).start(loopback()); Client c = session(console)) {
                c.send("x".repeat(100_000) + " stats");
                assertEquals("error: line longer than 64 bytes, ignored\n", c.answer());
                assertTrue(c.ask("stats").contains("switches"), "the next line is a command again");
                return null;
            }
        });
    }

    @Test
    public void reliability_consoleInterruptOfAnUnknownOrFinishedIdIsAnError() {
        run(() -> {
            try (Console console = Console.start(loopback()); Client c = session(console)) {
                Coro<String> done = Coro.spawn("finished", () -> "done");
                done.join();
                assertEquals("error: no live coro #" + done.id() + " (it never existed in this run, or it has finished)\n",
                        c.ask("interrupt " + done.id()));
                assertTrue(c.ask("interrupt 987654321").startsWith("error: no live coro #987654321"));
                assertTrue(c.ask("interrupt soon").startsWith("error: interrupt takes a coro id"));
                assertTrue(c.ask("interrupt").startsWith("error: usage: interrupt ID"));
                String coros = c.ask("coros");
                long sessionId = coros.lines().filter(l -> l.contains("'console session"))
                        .map(l -> Long.parseLong(l.trim().split("[# ]")[2])).findFirst().orElseThrow();
                assertTrue(c.ask("interrupt " + sessionId).startsWith("error: "), "a session cannot interrupt itself");
                assertTrue(c.ask("help").contains("coros"), "the session goes on");
                return null;
            }
        });
    }

    @Test
    public void reliability_consoleRefusesOneSessionTooMany() {
        run(() -> {
            try (Console console = Console.builder().maxSessions(1).start(loopback()); Client first = session(console)) {
                try (Client second = Client.connect(console.address())) {
                    assertEquals("error: too many console sessions (at most 1)\n", second.rest());
                }
                assertTrue(first.ask("help").contains("coros"), "the first session goes on");
                return null;
            }
        });
    }

    @Test
    public void reliability_consoleStartOutsideACoroIsRefused() {
        assertThrows(dev.coro.NotInCoroException.class, () -> Console.start(loopback()));
        assertNull(CoroContext.selfOrNull());
    }

    /** Runs {@code body} and returns what it logged to {@code dev.coro.console}, as "LEVEL message" lines. */
    private static List<String> captureConsoleLog(Runnable body) {
        return LogCapture.during("dev.coro.console", body).stream().map(r -> r.getLevel() + " " + r.getMessage()).toList();
    }
}
