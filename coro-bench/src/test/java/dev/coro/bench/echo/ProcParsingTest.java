package dev.coro.bench.echo;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The /proc readers of the load generator, on sample lines and on this machine's own files. */
class ProcParsingTest {
    @Test
    void statTicksSkipACommandWithSpacesAndParentheses() {
        String line = "4242 (a (weird) name) S 1 4242 4242 0 -1 4194560 1000 0 0 0 123 45 0 0 20 0 30 0 99 0 0";
        assertEquals(123 + 45, ProcCpu.ticks(line));
        assertThrows(IllegalArgumentException.class, () -> ProcCpu.ticks("garbage"));
    }

    @Test
    void ownCpuTimeIsReadable() throws IOException {
        assertTrue(new ProcCpu("self", 100).seconds() >= 0);
    }

    @Test
    void netCounters() throws IOException {
        assertEquals(0x651 + 2, NetCounters.softnetDropped(List.of(
                "016f410a 00000000 00000000 00000000",
                "0174b392 00000651 00000000 00000000",
                "0174b392 00000002 00000000 00000000")));
        assertEquals(1734, NetCounters.tcpRetransSegs(List.of(
                "Ip: Forwarding DefaultTTL",
                "Ip: 1 64",
                "Tcp: RtoAlgorithm RtoMin RtoMax MaxConn ActiveOpens PassiveOpens AttemptFails EstabResets CurrEstab InSegs OutSegs RetransSegs InErrs",
                "Tcp: 1 200 120000 -1 2423909 2423597 203 1248683 0 48493471 48493714 1734 0")));
        NetCounters now = NetCounters.read();
        assertTrue(now.dropped() >= 0 && now.retransmitted() >= 0);
    }

    @Test
    void cpuShares() throws IOException {
        List<String> stat = List.of("cpu  10 0 10 10 0 0 0 0 0 0",
                "cpu0 445356 1 109703 525606 2134 5 7081 1657 0 0",
                "cpu1 452668 0 113225 513333 3436 0 7467 1641 0 0");
        CpuShares c = CpuShares.parse(stat, 0);
        assertEquals(445357 + 109703, c.busy());
        assertEquals(525606 + 2134, c.idle());
        assertEquals(7081 + 5, c.softirq());
        assertEquals(1657, c.steal());
        assertEquals(c.busy() + c.idle() + c.softirq() + c.steal(), c.total());
        assertThrows(IllegalArgumentException.class, () -> CpuShares.parse(stat, 2));
        assertTrue(CpuShares.read(0).total() > 0);
    }
}
