package dev.coro.bench.echo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The machine's count of packets dropped on the way in (the "dropped" column of
 * {@code /proc/net/softnet_stat}, summed over CPUs: a full per-CPU backlog, {@code netdev_max_backlog}) and
 * of TCP segments retransmitted ({@code RetransSegs} of {@code /proc/net/snmp}). Over loopback a dropped
 * data segment costs a retransmission timeout, which a closed-loop run shows as idle CPUs and latencies
 * of hundreds of milliseconds; a dropped pure ACK costs nothing (the next one covers it), so
 * retransmissions are what taint a run. Both are machine-wide: another program's traffic counts too.
 */
public record NetCounters(long dropped, long retransmitted) {

    public static NetCounters read() throws IOException {
        return new NetCounters(softnetDropped(Files.readAllLines(Path.of("/proc/net/softnet_stat"))),
                tcpRetransSegs(Files.readAllLines(Path.of("/proc/net/snmp"))));
    }

    public NetCounters minus(NetCounters earlier) {
        return new NetCounters(dropped - earlier.dropped, retransmitted - earlier.retransmitted);
    }

    static long softnetDropped(List<String> lines) {
        long sum = 0;
        for (String line : lines) {
            String[] f = line.trim().split("\\s+");
            if (f.length >= 2) {
                sum += Long.parseLong(f[1], 16); // one line per CPU, hex; column 2 is "dropped"
            }
        }
        return sum;
    }

    static long tcpRetransSegs(List<String> lines) {
        for (int i = 0; i + 1 < lines.size(); i++) {
            // a "Tcp:" line of names, then a "Tcp:" line of values
            if (lines.get(i).startsWith("Tcp:") && lines.get(i + 1).startsWith("Tcp:")) {
                List<String> names = List.of(lines.get(i).trim().split("\\s+"));
                String[] values = lines.get(i + 1).trim().split("\\s+");
                int at = names.indexOf("RetransSegs");
                if (at > 0 && at < values.length) {
                    return Long.parseLong(values[at]);
                }
            }
        }
        throw new IllegalStateException("no Tcp RetransSegs in /proc/net/snmp");
    }
}
