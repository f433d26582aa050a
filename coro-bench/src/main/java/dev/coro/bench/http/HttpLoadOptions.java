package dev.coro.bench.http;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The flags of {@link HttpLoad}, {@code --name value}. An unknown flag, a missing value or one out of
 * range is a {@link BadFlag} whose message says which and why. Seconds are whole: wrk's {@code -d}
 * takes no fractions.
 */
record HttpLoadOptions(String wrk, String host, int port, int connections, int warmupSeconds, int durationSeconds,
                       String serverPid, long clockTicks, int serverCpu, int loadCpu) {

    static final String USAGE = """
            usage: HttpLoad --port P [flags]      (run it pinned to the load CPU: wrk inherits the affinity)
              --wrk PATH          the wrk binary (default wrk)
              --host H            server address (default 127.0.0.1)
              --port P            server port (required)
              --connections N     wrk's -c (default 100)
              --warmup S          seconds of a first wrk run, not measured (default 3; 0: none)
              --duration S        seconds of the measured wrk run (default 10)
              --server-pid PID    measure this process's CPU over the measured run (needs --clk-tck)
              --clk-tck T         clock ticks per second of /proc/<pid>/stat (getconf CLK_TCK)
              --server-cpu C      the server's CPU: also report how it spent the window
              --load-cpu C        the load's CPU: also report how busy it was""";

    private static final List<String> NAMES = List.of("wrk", "host", "port", "connections", "warmup", "duration",
            "server-pid", "clk-tck", "server-cpu", "load-cpu");

    /** A flag the user got wrong; the message is meant for them. */
    static final class BadFlag extends Exception {
        private static final long serialVersionUID = 1L;

        BadFlag(String message) {
            super(message);
        }
    }

    static HttpLoadOptions parse(String... args) throws BadFlag {
        Map<String, String> v = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("--") || !NAMES.contains(a.substring(2))) {
                throw new BadFlag(a.startsWith("--") ? "unknown flag " + a : "not a flag: '" + a + "'");
            }
            if (i + 1 >= args.length) {
                throw new BadFlag(a + " needs a value");
            }
            v.put(a.substring(2), args[++i]);
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
        return new HttpLoadOptions(v.getOrDefault("wrk", "wrk"), v.getOrDefault("host", "127.0.0.1"),
                integer(v, "port", 0, 1, 65535), integer(v, "connections", 100, 1, 1_000_000),
                integer(v, "warmup", 3, 0, 86_400), integer(v, "duration", 10, 1, 86_400),
                pid, pid == null ? 0 : integer(v, "clk-tck", 0, 1, 1_000_000),
                integer(v, "server-cpu", -1, 0, 65535), integer(v, "load-cpu", -1, 0, 65535));
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
}
