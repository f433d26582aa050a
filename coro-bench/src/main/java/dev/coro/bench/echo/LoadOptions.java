package dev.coro.bench.echo;

import dev.coro.bench.echo.Flags.BadFlag;

import java.util.List;

/**
 * The load generator's flags, {@code --name value} or {@code --name=value}, read by {@link Flags}: an
 * unknown flag, a missing value or one out of range is a {@link BadFlag} whose message says which and why.
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

    static LoadOptions parse(String... args) throws BadFlag {
        Flags f = Flags.parse(args, NAMES);
        if (!f.has("port")) {
            throw new BadFlag("--port is required");
        }
        if (f.has("server-pid") != f.has("clk-tck")) {
            throw new BadFlag("--server-pid and --clk-tck go together");
        }
        String pid = f.string("server-pid", null);
        if (pid != null && !pid.matches("[1-9][0-9]*")) {
            throw new BadFlag("--server-pid must be a process id, not '" + pid + "'");
        }
        return new LoadOptions(f.string("host", "127.0.0.1"),
                f.integer("port", 0, 1, 65535),
                f.integer("connections", 1000, 1, 1_000_000),
                f.integer("size", 32, 1, 1 << 20),
                f.seconds("warmup", 5, 0),
                f.seconds("duration", 10, 0.1),
                f.integer("connect-window", 50, 1, 1_000_000),
                f.seconds("connect-timeout", 10, 0.1),
                f.seconds("ramp-timeout", 120, 0.1),
                f.integer("max-connect-failures", 100, 0, Integer.MAX_VALUE),
                pid,
                pid == null ? 0 : f.integer("clk-tck", 0, 1, 1_000_000),
                f.integer("server-cpu", -1, 0, 65535));
    }
}
