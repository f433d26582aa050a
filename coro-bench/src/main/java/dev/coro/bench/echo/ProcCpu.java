package dev.coro.bench.echo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time of a process, all its threads, as Linux accounts it: utime + stime of {@code /proc/<pid>/stat}
 * in clock ticks, turned into seconds with the {@code CLK_TCK} the caller got from {@code getconf}
 * (Java has no portable way to ask for it).
 */
public final class ProcCpu {
    private final Path stat;
    private final long ticksPerSecond;

    public ProcCpu(String pid, long ticksPerSecond) {
        this.stat = Path.of("/proc", pid, "stat");
        this.ticksPerSecond = ticksPerSecond;
    }

    /** Seconds of CPU the process has used so far (user + system). */
    public double seconds() throws IOException {
        return ticks(Files.readString(stat)) / (double) ticksPerSecond;
    }

    /** utime + stime of one stat line; the command name (field 2) may hold spaces and parentheses. */
    static long ticks(String statLine) {
        int close = statLine.lastIndexOf(')');
        if (close < 0) {
            throw new IllegalArgumentException("not a /proc/<pid>/stat line: " + statLine);
        }
        String[] f = statLine.substring(close + 2).trim().split(" +");
        // f[0] is field 3 (state), so utime (field 14) is f[11] and stime (field 15) is f[12]; see proc(5).
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }
}
