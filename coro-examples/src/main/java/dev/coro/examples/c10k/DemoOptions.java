package dev.coro.examples.c10k;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.file.InvalidPathException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The demo's flags, {@code --name value} or {@code --name=value}. Every value is checked here, so a
 * bad flag stops the demo before any process starts, with a {@link BadFlag} that names it and says why.
 * JVM options ({@code -Dcoro.switch=...}) are not flags: they go to java before the class name.
 */
record DemoOptions(int connections, int size, double durationSeconds, int pending, double connectTimeoutSeconds,
                   String console, boolean help) {

    /** The server's accept backlog; the kernel caps it at {@code net.core.somaxconn}. */
    static final int BACKLOG = 4096;

    static final String USAGE = """
            usage: bin/demo [JVM options] [flags]
              --connections N      connections to open and hold, all at once (default 10000)
              --size B             bytes per message, one message in flight per connection (default 32)
              --duration S         seconds of echo traffic once every connection is open (default 20)
              --pending P          most connects not yet answered by their first echo (default 256);
                                   at most the server's accept backlog, so the accept queue never overflows
              --connect-timeout S  seconds for a connect and its first echo before it counts as failed (default 10)
              --console PATH|PORT  the server's console (dev.coro.console) on a Unix-domain socket PATH or on
                                   127.0.0.1:PORT, e.g. --console /tmp/coro.sock, then: nc -U /tmp/coro.sock
                                   (off by default)
              --help               this text
            JVM options go before the flags and reach both processes (server and load generator), e.g.
              bin/demo -Dcoro.switch=loom -Dcoro.poller=nio --connections 2000 --duration 5""";

    private static final List<String> NAMES = List.of("connections", "size", "duration", "pending", "connect-timeout",
            "console");

    /** A flag the user got wrong; the message is meant for them. */
    static final class BadFlag extends Exception {
        BadFlag(String message) {
            super(message);
        }
    }

    static DemoOptions parse(String... args) throws BadFlag {
        Map<String, String> v = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--help") || a.equals("-h")) {
                return new DemoOptions(0, 0, 0, 0, 0, null, true);
            }
            if (a.startsWith("-D") || a.startsWith("-X")) {
                throw new BadFlag("JVM option '" + a + "' after the demo's flags: put it first, as in"
                        + " bin/demo " + a + " --connections 1000");
            }
            if (!a.startsWith("--")) {
                throw new BadFlag("not a flag: '" + a + "' (the demo takes --connections N etc., not positional"
                        + " arguments)");
            }
            int eq = a.indexOf('=');
            String name = a.substring(2, eq < 0 ? a.length() : eq);
            if (!NAMES.contains(name)) {
                throw new BadFlag("unknown flag --" + name);
            }
            String value;
            if (eq >= 0) {
                value = a.substring(eq + 1);
            } else if (i + 1 < args.length) {
                value = args[++i];
            } else {
                throw new BadFlag("--" + name + " needs a value");
            }
            if (v.put(name, value) != null) {
                throw new BadFlag("--" + name + " given twice");
            }
        }
        return new DemoOptions(
                integer(v, "connections", 10_000, 1, 1_000_000),
                integer(v, "size", 32, 1, 65_536),
                seconds(v, "duration", 20, 0.1, 86_400),
                integer(v, "pending", 256, 1, BACKLOG),
                seconds(v, "connect-timeout", 10, 0.01, 3_600),
                console(v.get("console")),
                false);
    }

    /** The --console value, checked (null when absent). */
    private static String console(String value) throws BadFlag {
        if (value != null) {
            consoleAddress(value);
        }
        return value;
    }

    /** A --console value as an address: digits are a port on 127.0.0.1, anything else a Unix-domain socket path. */
    static SocketAddress consoleAddress(String value) throws BadFlag {
        if (value.matches("[0-9]+")) {
            int port = Integer.parseInt(value.length() > 6 ? "0" : value);
            if (port < 1 || port > 65_535) {
                throw new BadFlag("--console port must be between 1 and 65535, not " + value);
            }
            return new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
        }
        if (value.isBlank()) {
            throw new BadFlag("--console needs a Unix-domain socket path or a port, not an empty value");
        }
        try {
            return UnixDomainSocketAddress.of(value);
        } catch (InvalidPathException e) {
            throw new BadFlag("--console '" + value + "' is neither a port nor a usable path: " + e.getMessage());
        }
    }

    private static int integer(Map<String, String> v, String name, int dflt, int min, int max) throws BadFlag {
        String s = v.get(name);
        if (s == null) {
            return dflt;
        }
        try {
            int n = Integer.parseInt(s.replace("_", ""));
            if (n < min || n > max) {
                throw new BadFlag("--" + name + " must be between " + min + " and " + max + ", not " + n);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new BadFlag("--" + name + " must be a whole number, not '" + s + "'");
        }
    }

    private static double seconds(Map<String, String> v, String name, double dflt, double min, double max)
            throws BadFlag {
        String s = v.get(name);
        if (s == null) {
            return dflt;
        }
        try {
            double d = Double.parseDouble(s);
            if (!(d >= min && d <= max)) { // also rejects NaN
                throw new BadFlag("--" + name + " must be between " + min + " and " + max + " seconds, not " + s);
            }
            return d;
        } catch (NumberFormatException e) {
            throw new BadFlag("--" + name + " must be a number of seconds, not '" + s + "'");
        }
    }
}
