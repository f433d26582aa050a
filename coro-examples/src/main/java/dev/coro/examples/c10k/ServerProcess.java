package dev.coro.examples.c10k;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The launcher's handle on process 1, {@link C10kServer}: started with this JVM's java, class path and
 * JVM options (so {@code -Dcoro.switch=...} and coro.jvmargs reach both processes), spoken to over its
 * standard input and output, its standard error shown as ours. Invariant: once {@link #start} returns,
 * the server ends by {@link #close} at the latest — close, a JVM shutdown hook for Ctrl-C, and the
 * server's own exit at the end of its input all lead there, so no server outlives the demo.
 */
public final class ServerProcess implements AutoCloseable {
    private static final String EOF = "\0eof"; // the reader thread's last entry: the server closed its output

    private final Process process;
    private final OutputStream control;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final Thread killOnExit;
    private int port;
    private String switcher = "?";
    private String poller = "?";
    private String console;

    private ServerProcess(Process process) {
        this.process = process;
        this.control = process.getOutputStream();
        Thread reader = new Thread(this::readLines, "c10k-server-output");
        reader.setDaemon(true);
        reader.start();
        killOnExit = new Thread(() -> kill(process), "c10k-server-killer");
        Runtime.getRuntime().addShutdownHook(killOnExit);
    }

    /** Starts the server and waits until it listens; any failure stops it again. */
    public static ServerProcess start(Duration timeout) throws IOException {
        return start(timeout, null);
    }

    /**
     * Starts the server, with its console on {@code console} (a --console value; null: none), and waits
     * until it listens (and serves the console); any failure stops it again.
     */
    static ServerProcess start(Duration timeout, String console) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmOptions());
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), C10kServer.class.getName()));
        if (console != null) {
            cmd.addAll(List.of("--console", console));
        }
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        ServerProcess server = new ServerProcess(p);
        try {
            String line = server.next(timeout, "listen");
            Map<String, String> f = fields(line, "listening");
            server.port = Integer.parseInt(line.split(" ")[1]);
            server.switcher = f.getOrDefault("switch", "?");
            server.poller = f.getOrDefault("poller", "?");
            if (console != null) {
                String c = server.next(timeout, "serve its console");
                if (!c.startsWith("console ")) {
                    throw new IOException("the server process said '" + c + "', expected 'console <address>'");
                }
                server.console = c.substring("console ".length());
            }
            return server;
        } catch (IOException | RuntimeException e) {
            server.close();
            throw e;
        }
    }

    /**
     * This JVM's options minus agents (a debugger's fixed port would clash): coro.jvmargs, -D and -X
     * options, as java got them, so both processes run the same backends.
     */
    static List<String> jvmOptions() {
        List<String> out = new ArrayList<>();
        for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (!(a.startsWith("-agentlib") || a.startsWith("-agentpath") || a.startsWith("-javaagent")
                    || a.startsWith("-Xrunjdwp") || a.equals("-Xdebug"))) {
                out.add(a);
            }
        }
        return out;
    }

    public int port() {
        return port;
    }

    public long pid() {
        return process.pid();
    }

    public String switcher() {
        return switcher;
    }

    public String poller() {
        return poller;
    }

    /** Where the server's console listens, as it said; null without one. */
    String console() {
        return console;
    }

    /** Asks the server for its figures (it runs a full GC first); blocks, so call it via {@code Coro.blocking}. */
    public ServerStats stats(Duration timeout) throws IOException {
        return ask("stats", "answer 'stats'", "stats", timeout, f -> new ServerStats(Integer.parseInt(f.get("open")),
                Long.parseLong(f.get("accepted")), Long.parseLong(f.get("heap")), Long.parseLong(f.get("rss")),
                Integer.parseInt(f.get("coros")), Integer.parseInt(f.get("timers")), Integer.parseInt(f.get("waits")),
                Long.parseLong(f.get("fds"))));
    }

    /**
     * Sends {@code command} and parses the {@code tag k=v ...} line the server answers with; a field
     * missing or not a number is an IOException naming the line.
     */
    private <T> T ask(String command, String what, String tag, Duration timeout, Function<Map<String, String>, T> parse)
            throws IOException {
        control.write((command + "\n").getBytes(StandardCharsets.UTF_8));
        control.flush();
        String line = next(timeout, what);
        Map<String, String> f = fields(line, tag);
        try {
            return parse.apply(f);
        } catch (RuntimeException e) {
            throw new IOException("the server process said '" + line + "': not a complete " + tag + " line", e);
        }
    }

    /** The end of its input tells the server to stop; it gets 5 s, then a kill. Idempotent. */
    @Override
    public void close() {
        try {
            control.close();
        } catch (IOException alreadyGone) {
            // the pipe broke: the server is exiting anyway
        }
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                kill(process);
            }
        } catch (InterruptedException e) {
            kill(process);
            Thread.currentThread().interrupt();
        }
        try {
            Runtime.getRuntime().removeShutdownHook(killOnExit);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running or will: it kills a process that is already gone
        }
    }

    private static void kill(Process p) {
        p.descendants().forEach(ProcessHandle::destroyForcibly); // C10kServer starts none; be sure anyway
        p.destroyForcibly();
        try {
            p.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void readLines() {
        try (BufferedReader r = process.inputReader(StandardCharsets.UTF_8)) {
            String line;
            while ((line = r.readLine()) != null) {
                lines.add(line);
            }
        } catch (IOException closed) {
            // the process is gone: same as the end of its output
        }
        lines.add(EOF);
    }

    private String next(Duration timeout, String what) throws IOException {
        String line;
        try {
            line = lines.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for the server process to " + what, e);
        }
        if (line == null) {
            throw new IOException("the server process (pid " + pid() + ") did not " + what + " within " + timeout);
        }
        if (line.equals(EOF)) {
            lines.add(EOF); // later callers see the end too
            String code = process.isAlive() ? "still running" : "exit code " + process.exitValue();
            throw new IOException("the server process (pid " + pid() + ") ended its output before it could " + what
                    + " (" + code + "); its messages, if any, are above");
        }
        return line;
    }

    /** {@code key=value} fields of a line that must start with {@code tag}. */
    private static Map<String, String> fields(String line, String tag) throws IOException {
        String[] parts = line.split(" ");
        if (!parts[0].equals(tag)) {
            throw new IOException("the server process said '" + line + "', expected a '" + tag + " ...' line");
        }
        Map<String, String> f = new HashMap<>();
        for (String part : parts) {
            int eq = part.indexOf('=');
            if (eq > 0) {
                f.put(part.substring(0, eq), part.substring(eq + 1));
            }
        }
        return f;
    }

    /**
     * What the server reports: connections open now and ever accepted, heap used after GC, RSS (-1:
     * unknown), and its scheduler's live coros, timer-heap size and outside waits, and its open fds
     * (-1: unknown), all taken at one instant of its loop.
     */
    public record ServerStats(int open, long accepted, long heapBytes, long rssBytes, int coros, int timers,
                              int waits, long fds) {
    }

    /**
     * What the server reports of the end of its run under load: connections and fds at the quit and
     * after the run, coros the run abandoned, and the milliseconds from the quit to the end of the run.
     */
    public record ShutdownReport(int openBefore, long fdsBefore, int openAfter, long fdsAfter, int corosAfter,
                                 long millis) {
    }

    /**
     * Ends the server's run with whatever connections are open and returns its report of that; the
     * process then exits (call {@link #close} after, to reap it). Blocks; from a coro, via {@code Coro.blocking}.
     */
    public ShutdownReport quit(Duration timeout) throws IOException {
        return ask("quit", "report its shutdown", "shutdown", timeout, f -> new ShutdownReport(
                Integer.parseInt(f.get("open_before")), Long.parseLong(f.get("fds_before")),
                Integer.parseInt(f.get("open_after")), Long.parseLong(f.get("fds_after")),
                Integer.parseInt(f.get("coros_after")), Long.parseLong(f.get("ms"))));
    }
}
