package dev.coro.bench.echo;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The load generator's flags, {@code --name value} or {@code --name=value}. An unknown flag, a
 * missing value or one out of range is a {@link BadFlag} whose message says which and why.
 */
record LoadOptions(String host, int port, int connections, int size, double warmupSeconds,
                   double durationSeconds, int connectWindow, double connectTimeoutSeconds,
                   double rampTimeoutSeconds, int maxConnectFailures, String serverPid, long clockTicks, int serverCpu) {

    static final String USAGE = """
            usage: EchoLoad --port P [flags]
              --host H                 server address (default 127.0.0.1)
              --port P                 server port (required)
              --connections N          connections to keep open (default 1000)
              --size B                 bytes per message (default 32)
              --warmup S               seconds of load before the measured window (default 5)
              --duration S             seconds of the measured window (default 10)
              --connect-window W       most connections not yet confirmed by an echo at once (default 50,
                                       the JDK's default accept backlog: no accept queue ever overflows)
              --connect-timeout S      seconds for a connect + first echo before it counts as failed (default 10)
              --ramp-timeout S         seconds for the whole ramp-up (default 120)
              --max-connect-failures F stop ramping after F failed connects (default 100)
              --server-pid PID         measure this process's CPU over the window (needs --clk-tck)
              --clk-tck T              clock ticks per second of /proc/<pid>/stat (getconf CLK_TCK)
              --server-cpu C           the CPU the server is pinned to: also report how that CPU spent
                                       the window (idle, softirq, steal, other programs)""";

    private static final List<String> NAMES = List.of("host", "port", "connections", "size", "warmup",
            "duration", "connect-window", "connect-timeout", "ramp-timeout", "max-connect-failures",
            "server-pid", "clk-tck", "server-cpu");

    /** A flag the user got wrong; the message is meant for them. */
    static final class BadFlag extends Exception {
        BadFlag(String message) {
            super(message);
        }
    }

    static LoadOptions parse(String... args) throws BadFlag {
        Map<String, String> v = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("--")) {
                throw new BadFlag("not a flag: '" + a + "'");
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
            v.put(name, value);
        }
        if (!v.containsKey("port")) {
            throw new BadFlag("--port is required");
        }
        if (v.containsKey("server-pid") != v.containsKey("clk-tck")) {
            throw new BadFlag("--server-pid and --clk-tck go together");
        }
        String pid = v.get("server-pid");
        if (pid != null && !pid.matches("[1-9][0-9]*")) {
            throw new BadFlag("--server-pid must be a process id, not '" + pid + "'");
        }
        return new LoadOptions(v.getOrDefault("host", "127.0.0.1"),
                integer(v, "port", 0, 1, 65535),
                integer(v, "connections", 1000, 1, 1_000_000),
                integer(v, "size", 32, 1, 1 << 20),
                seconds(v, "warmup", 5, 0),
                seconds(v, "duration", 10, 0.1),
                integer(v, "connect-window", 50, 1, 1_000_000),
                seconds(v, "connect-timeout", 10, 0.1),
                seconds(v, "ramp-timeout", 120, 0.1),
                integer(v, "max-connect-failures", 100, 0, Integer.MAX_VALUE),
                pid,
                pid == null ? 0 : integer(v, "clk-tck", 0, 1, 1_000_000),
                integer(v, "server-cpu", -1, 0, 65535));
    }

    private static int integer(Map<String, String> v, String name, int dflt, int min, int max) throws BadFlag {
        String s = v.get(name);
        if (s == null) {
            return dflt;
        }
        try {
            int n = Integer.parseInt(s);
            if (n < min || n > max) {
                throw new BadFlag("--" + name + " must be in [" + min + ", " + max + "], not " + n);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new BadFlag("--" + name + " must be an integer, not '" + s + "'");
        }
    }

    private static double seconds(Map<String, String> v, String name, double dflt, double min) throws BadFlag {
        String s = v.get(name);
        if (s == null) {
            return dflt;
        }
        try {
            double d = Double.parseDouble(s);
            if (!(d >= min) || Double.isInfinite(d)) {
                throw new BadFlag("--" + name + " must be a number of seconds >= " + min + ", not " + s);
            }
            return d;
        } catch (NumberFormatException e) {
            throw new BadFlag("--" + name + " must be a number of seconds, not '" + s + "'");
        }
    }
}
