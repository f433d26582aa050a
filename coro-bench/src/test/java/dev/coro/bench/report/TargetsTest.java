package dev.coro.bench.report;

import dev.coro.bench.report.Targets.Op;
import dev.coro.bench.report.Targets.Section;
import dev.coro.bench.report.Targets.Target;
import dev.coro.bench.report.Verdicts.Status;
import dev.coro.bench.report.Verdicts.Verdict;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The ratio arithmetic and the met/missed decision of each kind of target. */
class TargetsTest {
    private static final Target CPU = new Target(Section.ECHO, "cpu", Metric.CPU_US_PER_MSG, "coro-*-nio", Op.AT_MOST,
            1.10, "nio-loop", "test");
    private static final Target RATE = new Target(Section.ECHO, "rate", Metric.MSGS_PER_S, "coro-native-nio",
            Op.AT_LEAST, 1.5, "vt", "test");

    private static EchoResults.Run run(String variant, long conns, int run, double rate, double cpu) {
        return new EchoResults.Run(variant, conns, run, rate, 1, 2, 3, cpu, 0, true, Map.of());
    }

    @Test
    void spreadIsTheMedianAndRangeWithoutNaNs() {
        assertEquals(new Spread(2, 1, 3, 3), Spread.of(3, Double.NaN, 1, 2));
        assertEquals(new Spread(2.5, 1, 4, 4), Spread.of(4, 1, 3, 2));
        assertFalse(Spread.of(Double.NaN).measured());
        assertFalse(Spread.of(5, 5).hasRange());
        assertTrue(Spread.of(5, 6).hasRange());
    }

    @Test
    void opsAndStrictness() {
        assertTrue(Op.AT_MOST.holds(1.1, 1.1));
        assertFalse(Op.AT_MOST.holds(1.1000001, 1.1));
        assertTrue(Op.AT_LEAST.holds(1.5, 1.5));
        assertFalse(Op.BELOW.holds(1.0, 1.0));
        assertTrue(Op.BELOW.holds(0.99, 1.0));
    }

    @Test
    void echoRatioOfMediansPerConnectionCountAndVariant() {
        List<ServerRun> runs = new ArrayList<>(List.of(
                run("nio-loop", 1000, 1, 100_000, 10), run("nio-loop", 1000, 2, 100_000, 12),
                run("coro-native-nio", 1000, 1, 90_000, 10.5), run("coro-native-nio", 1000, 2, 90_000, 14.5),
                run("coro-loom-nio", 1000, 1, 90_000, 11), run("coro-loom-nio", 1000, 2, 90_000, 11),
                run("coro-native-kqueue", 1000, 1, 90_000, 99),
                run("coro-native-nio", 10_000, 1, 1, 1)));
        List<Verdict> vs = Verdicts.servers(CPU, runs);
        assertEquals(4, vs.size()); // 2 counts × 2 matching variants; kqueue does not match coro-*-nio
        Verdict nat = vs.get(0);
        assertEquals("1,000 connections", nat.context());
        assertEquals("coro-native-nio", nat.oursLabel());
        assertEquals(12.5, nat.ours().median());
        assertEquals(11, nat.baseline().median());
        assertEquals(12.5 / 11, nat.ratio(), 1e-12);
        assertEquals(Status.MISSED, nat.status()); // 1.136 > 1.10
        assertEquals(10.5 / 10, nat.ratioRange().min(), 1e-12); // repeat 1 over repeat 1
        assertEquals(14.5 / 12, nat.ratioRange().max(), 1e-12); // repeat 2 over repeat 2
        Verdict loom = vs.get(1);
        assertEquals(1.0, loom.ratio(), 1e-12);
        assertEquals(Status.MET, loom.status());
        assertEquals(Status.NOT_MEASURED, vs.get(2).status()); // no nio-loop at 10,000
        assertTrue(vs.get(2).note().contains("nio-loop"), vs.get(2).note());
        assertEquals(Status.NOT_MEASURED, vs.get(3).status()); // no loom run at 10,000
    }

    @Test
    void higherIsBetterTargetsCompareTheSameWay() {
        List<ServerRun> runs = List.of(run("vt", 1000, 1, 100_000, 1), run("coro-native-nio", 1000, 1, 150_000, 1));
        Verdict v = Verdicts.servers(RATE, runs).getFirst();
        assertEquals(1.5, v.ratio(), 1e-12);
        assertEquals(Status.MET, v.status());
        runs = List.of(run("vt", 1000, 1, 100_000, 1), run("coro-native-nio", 1000, 1, 149_000, 1));
        assertEquals(Status.MISSED, Verdicts.servers(RATE, runs).getFirst().status());
        assertEquals(Status.NOT_MEASURED, Verdicts.servers(RATE, List.of()).getFirst().status());
    }

    private static JmhResults.Result jmh(String name, Map<String, String> params, double ns, double alloc) {
        return new JmhResults.Result("dev.coro.bench." + name, "avgt", params, ns, Double.NaN, "ns/op", ns,
                new double[]{ns * 0.9, ns * 1.1}, alloc, Map.of());
    }

    @Test
    void jmhSelectorsAndTheBaselineThatAgreesOnParameters() {
        Target t = new Target(Section.JMH, "switch", Metric.NS_PER_OP, "SwitchBenchmark.yieldSlice*[switcher|backend=native]",
                Op.AT_MOST, 1.3, "SwitchBenchmark.rawContinuation*", "test");
        List<JmhResults.Result> rs = List.of(
                jmh("SwitchBenchmark.yieldSliceThroughScheduler", Map.of("switcher", "native"), 60, 40),
                jmh("SwitchBenchmark.yieldSliceThroughScheduler", Map.of("switcher", "loom"), 90, 40),
                jmh("SwitchBenchmark.yieldSlice", Map.of("backend", "native"), 50, 40),
                jmh("SwitchBenchmark.rawContinuationRunYield", Map.of(), 40, 0));
        List<Verdict> vs = Verdicts.jmh(t, rs);
        assertEquals(2, vs.size()); // loom is left out by the parameter
        assertEquals(1.5, vs.get(0).ratio(), 1e-12);
        assertEquals(Status.MISSED, vs.get(0).status());
        assertEquals(1.25, vs.get(1).ratio(), 1e-12);
        assertEquals(Status.MET, vs.get(1).status());
        assertEquals(45 / 44.0, vs.get(1).ratioRange().min(), 1e-9); // fastest ours over slowest baseline
        assertEquals(55 / 36.0, vs.get(1).ratioRange().max(), 1e-9);

        Target absent = new Target(Section.JMH, "x", Metric.NS_PER_OP, "SpawnBenchmark.*", Op.AT_MOST, 0.5,
                "SpawnBenchmark.vt", "test");
        Verdict none = Verdicts.jmh(absent, rs).getFirst();
        assertEquals(Status.NOT_MEASURED, none.status());
        assertEquals("no benchmark matches SpawnBenchmark.*", none.note());

        Target alloc = new Target(Section.JMH, "alloc", Metric.ALLOC_B_PER_OP, "SwitchBenchmark.raw*", Op.AT_MOST, 1,
                null, "test");
        assertEquals(Status.MET, Verdicts.jmh(alloc, rs).getFirst().status());
        Target allocMissed = new Target(Section.JMH, "alloc", Metric.ALLOC_B_PER_OP, "SwitchBenchmark.yieldSlice",
                Op.AT_MOST, 1, null, "test");
        assertEquals(Status.MISSED, Verdicts.jmh(allocMissed, rs).getFirst().status());
        List<JmhResults.Result> noGc = List.of(jmh("SwitchBenchmark.yieldSlice", Map.of(), 50, Double.NaN));
        assertTrue(Verdicts.jmh(allocMissed, noGc).getFirst().note().contains("-prof gc"));
    }

    @Test
    void memoryAtTheSameCountAndAbsoluteLimits() {
        List<MemoryResults.Item> items = List.of(
                new MemoryResults.Item("suspended coro", "native", 1_000_000, 691),
                new MemoryResults.Item("suspended coro", "loom", 1_000_000, 1181),
                new MemoryResults.Item("suspended coro", "native", 10_000, 500),
                new MemoryResults.Item("parked virtual thread", "vt", 1_000_000, 570));
        Target vsVt = new Target(Section.MEMORY, "sleeping", Metric.BYTES_PER_ITEM, "suspended coro[*]", Op.AT_MOST, 1,
                "parked virtual thread[*]", "test");
        List<Verdict> vs = Verdicts.memory(vsVt, items);
        assertEquals(3, vs.size());
        assertEquals(691 / 570.0, vs.get(0).ratio(), 1e-12);
        assertEquals(Status.MISSED, vs.get(0).status());
        assertEquals(Status.NOT_MEASURED, vs.get(2).status()); // no parked VT at 10,000
        Target absolute = new Target(Section.MEMORY, "2 GiB", Metric.BYTES_PER_ITEM, "suspended coro[loom]", Op.AT_MOST,
                1024, null, "test");
        Verdict a = Verdicts.memory(absolute, items).getFirst();
        assertEquals(Status.MISSED, a.status());
        assertEquals(1181, a.checked());
    }

    @Test
    void theTableCitesItsSourcesAndGlobsMatchWholeNames() {
        for (Target t : Targets.ALL) {
            assertFalse(t.source().isBlank(), t.toString());
            assertTrue(t.limit() > 0, t.toString());
        }
        assertTrue(Targets.of(Section.ECHO).stream().anyMatch(t -> t.source().contains("SPEC.md#targets")));
        assertTrue(Targets.glob("coro-*-nio", "coro-native-nio"));
        assertFalse(Targets.glob("coro-*-nio", "coro-native-kqueue"));
        assertFalse(Targets.glob("vt", "vt2"));
        assertTrue(Targets.glob("a.b(c)*", "a.b(c)d")); // regex characters stand for themselves
        assertEquals("≤ 0.033× (≥ 30× faster)", new Target(Section.JMH, "", Metric.NS_PER_OP,
                "x", Op.AT_MOST, 1.0 / 30, "platformThreadHandoff", "").describe());
        assertEquals("≤ 4,096 B", new Target(Section.MEMORY, "", Metric.BYTES_PER_ITEM, "x", Op.AT_MOST, 4096, null, "")
                .describe());
    }
}
