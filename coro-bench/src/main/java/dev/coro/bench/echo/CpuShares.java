package dev.coro.bench.echo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * How one CPU spent a window, from its {@code cpuN} line of {@code /proc/stat} (clock ticks): idle,
 * softirq (where the kernel delivers loopback packets, charged to no process), steal (a hypervisor
 * ran something else), and busy (user + system, of every process on that CPU). The server's share of
 * that CPU comes from its own {@code /proc/<pid>/stat}; busy minus it is what other programs took,
 * the noise of a shared machine.
 */
public record CpuShares(long total, long idle, long softirq, long steal, long busy) {

    public static CpuShares read(int cpu) throws IOException {
        return parse(Files.readAllLines(Path.of("/proc/stat")), cpu);
    }

    static CpuShares parse(List<String> lines, int cpu) {
        String prefix = "cpu" + cpu + " ";
        for (String line : lines) {
            if (line.startsWith(prefix)) {
                String[] f = line.trim().split("\\s+");
                // user nice system idle iowait irq softirq steal (guest, guest_nice are inside user, nice)
                long user = Long.parseLong(f[1]) + Long.parseLong(f[2]);
                long system = Long.parseLong(f[3]);
                long idle = Long.parseLong(f[4]) + Long.parseLong(f[5]);
                long irq = Long.parseLong(f[6]);
                long softirq = Long.parseLong(f[7]);
                long steal = f.length > 8 ? Long.parseLong(f[8]) : 0;
                return new CpuShares(user + system + idle + irq + softirq + steal, idle, softirq + irq, steal,
                        user + system);
            }
        }
        throw new IllegalArgumentException("no CPU " + cpu + " in /proc/stat");
    }

    public CpuShares minus(CpuShares earlier) {
        return new CpuShares(total - earlier.total, idle - earlier.idle, softirq - earlier.softirq,
                steal - earlier.steal, busy - earlier.busy);
    }

    public double fraction(long part) {
        return total == 0 ? 0 : (double) part / total;
    }
}
