package dev.coro.examples.c10k;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The demo's flags, {@code --name value} or {@code --name=value}. Every value is checked here, so a
 * bad flag stops the demo before any process starts, with a {@link BadFlag} that names it and says why.
 * JVM options ({@code -Dcoro.switch=...}) are not flags: they go to java before the class name.
 */
record DemoOptions(int connections, int size, double durationSeconds, int pending, double connectTimeoutSeconds,
                   boolean help) {

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
              --help               this text
            JVM options go before the flags and reach both processes (server and load generator), e.g.
              bin/demo -Dcoro.switch=loom -Dcoro.poller=nio --connections 2000 --duration 5""";

    private static final List<String> NAMES = List.of("connections", "size", "duration", "pending", "connect-timeout");

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
                return new DemoOptions(0, 0, 0, 0, 0, true);
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
                false);
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
