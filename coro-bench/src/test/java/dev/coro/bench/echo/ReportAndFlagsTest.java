package dev.coro.bench.echo;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The result lines round-trip through the report's parser; the load generator's flags say what is wrong. */
class ReportAndFlagsTest {
    @Test
    void flatJson() {
        Map<String, Object> m = FlatJson.parse("{\"a\":\"x\\\"y\",\"b\":-1.5e3,\"c\":null,\"d\":true,\"e\":7}");
        assertEquals("x\"y", m.get("a"));
        assertEquals(-1500.0, m.get("b"));
        assertNull(m.get("c"));
        assertEquals(true, m.get("d"));
        assertEquals(7.0, m.get("e"));
        assertThrows(IllegalArgumentException.class, () -> FlatJson.parse("{\"a\":{}}"));
        assertThrows(IllegalArgumentException.class, () -> FlatJson.parse("{\"a\":1} x"));
        assertThrows(IllegalArgumentException.class, () -> FlatJson.parse("{\"a\":1"));
    }

    @Test
    void tableHasMediansSpreadsAndRatiosToTheFloor() {
        List<Map<String, Object>> runs = new ArrayList<>();
        runs.add(run("nio-loop", 100_000, 8.0));
        runs.add(run("nio-loop", 120_000, 10.0));
        runs.add(run("coro-native-nio", 60_000, 12.0));
        runs.add(run("coro-native-nio", 50_000, 12.0));
        runs.add(run("coro-native-nio", 70_000, 18.0));
        String table = EchoReport.table(runs);
        assertTrue(table.contains("| nio-loop | 2 | 110.0k [100.0k–120.0k] | 1.00 |"), table);
        assertTrue(table.contains("| coro-native-nio | 3 | 60.0k [50.0k–70.0k] | 0.55 |"), table);
        assertTrue(table.contains("| 12.0 [12.0–18.0] | 1.33 |"), table);
    }

    @Test
    void aVariantRunOnABaseBuildTooIsComparedRoundByRound() {
        List<Map<String, Object>> runs = new ArrayList<>();
        // Round 2 is a slow minute for both builds: paired, it still says 0.9; unpaired medians would not.
        runs.add(run("coro-native-nio", 1, 100_000, 9.0));
        runs.add(run("coro-native-nio@abc1234", 1, 90_000, 10.0));
        runs.add(run("coro-native-nio", 2, 50_000, 18.0));
        runs.add(run("coro-native-nio@abc1234", 2, 45_000, 20.0));
        runs.add(run("coro-native-nio", 3, 99_000, 8.0));
        runs.add(run("coro-native-nio@abc1234", 3, 90_000, 10.0));
        runs.add(run("nio-loop", 1, 120_000, 7.0)); // no twin: no paired line
        String table = EchoReport.table(runs);
        assertTrue(table.contains("coro-native-nio over coro-native-nio@abc1234, paired per round (3): "
                + "server CPU µs/msg 0.900 [0.800–0.900], msgs/s 1.111 [1.100–1.111]"), table);
        assertFalse(table.contains("nio-loop over"), table);
    }

    private static Map<String, Object> run(String variant, double rate, double cpu) {
        return run(variant, 1, rate, cpu);
    }

    private static Map<String, Object> run(String variant, int round, double rate, double cpu) {
        return FlatJson.parse(String.format(java.util.Locale.ROOT, "{\"variant\":\"%s\",\"connections\":1000,"
                + "\"run\":%d,\"msgs_per_s\":%f,\"cpu_us_per_msg\":%f,\"p50_us\":1,\"p99_us\":2,\"p999_us\":3,"
                + "\"errors\":0}", variant, round, rate, cpu));
    }

    @Test
    void flags() throws Flags.BadFlag {
        LoadOptions o = LoadOptions.parse("--port", "7", "--connections=10", "--warmup", "0.5");
        assertEquals(7, o.port());
        assertEquals(10, o.connections());
        assertEquals(0.5, o.warmupSeconds());
        assertEquals(32, o.size());
        assertEquals("--port is required", message("--connections", "3"));
        assertEquals("unknown flag --conections", message("--port", "1", "--conections", "3"));
        assertEquals("--size must be an integer, not 'big'", message("--port", "1", "--size", "big"));
        assertEquals("--port must be in [1, 65535], not 0", message("--port", "0"));
        assertEquals("--duration needs a value", message("--port", "1", "--duration"));
        assertEquals("--server-pid and --clk-tck go together", message("--port", "1", "--server-pid", "3"));
        assertTrue(message("--port", "1", "--warmup", "NaN").startsWith("--warmup must be"));
    }

    @Test
    void soakFlags() throws Flags.BadFlag {
        SoakOptions d = SoakOptions.parse();
        assertEquals(10_000, d.connections());
        assertEquals(600, d.durationSeconds());
        assertEquals(null, d.seed(), "no seed given: the soak draws one and prints it");
        assertEquals(120, d.heapReferenceSeconds(), "the second minute of a 10-minute run");
        SoakOptions o = SoakOptions.parse("--duration", "60", "--connections=2000", "--seed", "-7");
        assertEquals(2000, o.connections());
        assertEquals(-7L, o.seed());
        assertEquals(20, o.heapReferenceSeconds(), "a third of a run too short for the second minute");
        assertTrue(SoakOptions.parse("--duration", "5", "--help").help());
        assertEquals("--life-max (1.0) must be at least --life-min (20.0)", soakMessage("--life-max", "1"));
        assertEquals("--resets + --slowloris must be at most 1, not 1.5", soakMessage("--resets", "0.9", "--slowloris", "0.6"));
        assertEquals("--resets must be a fraction in [0.0, 1.0], not 2", soakMessage("--resets", "2"));
        assertEquals("--seed must be an integer, not 'x'", soakMessage("--seed", "x"));
        assertEquals("--duration given twice", soakMessage("--duration", "5", "--duration=6"));
        assertEquals("unknown flag --conections", soakMessage("--conections", "5"));
    }

    private static String soakMessage(String... args) {
        return assertThrows(Flags.BadFlag.class, () -> SoakOptions.parse(args)).getMessage();
    }

    private static String message(String... args) {
        return assertThrows(Flags.BadFlag.class, () -> LoadOptions.parse(args)).getMessage();
    }
}
