package dev.coro.bench.report;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each reader parses a sample of its input, keeps going past a bad entry, and says when the file is missing. */
class ReadersTest {
    @TempDir
    Path dir;

    @Test
    void echoLinesWithUnknownFieldsABlankAndABadLine() throws IOException {
        Path f = write("results.jsonl", """
                {"variant":"coro-native-nio","server":"coro","switch":"native","poller":"nio","connections":1000,"run":2,"new_field":[1],"msgs_per_s":39601,"p50_us":23527.4,"p99_us":64880.6,"p999_us":98828.3,"cpu_us_per_msg":14.012,"errors":3,"server_survived":false,"kernel":"6.1"}

                {"variant":"vt","connections":1000,"msgs_per_s":
                {"server":"nio-loop","connections":10000,"msgs_per_s":1.5e4}
                """);
        // "new_field" is an array, which FlatJson refuses: that line is skipped and said so.
        Loaded<EchoResults.Run> l = EchoResults.read(f);
        assertTrue(l.found());
        assertEquals(1, l.rows().size());
        assertEquals(2, l.skipped().size());
        assertTrue(l.skipped().get(0).startsWith("line 1: "), l.skipped().toString());
        assertTrue(l.skipped().get(1).startsWith("line 3: "), l.skipped().toString());
        EchoResults.Run r = l.rows().getFirst();
        assertEquals("nio-loop", r.variant()); // no variant: the server's name
        assertEquals(10_000, r.connections());
        assertEquals(15_000, r.msgsPerS());
        assertTrue(Double.isNaN(r.p99Us()));
        assertEquals(0, r.errors());
        assertTrue(r.serverSurvived());

        Files.writeString(f, """
                {"variant":"coro-native-nio","connections":1000,"run":2,"unknown":"x","msgs_per_s":39601,"p50_us":23527.4,"p99_us":64880.6,"p999_us":98828.3,"cpu_us_per_msg":14.012,"errors":3,"server_survived":false}
                """);
        r = EchoResults.read(f).rows().getFirst();
        assertEquals("coro-native-nio", r.variant());
        assertEquals(2, r.run());
        assertEquals(64880.6, r.value(Metric.P99_US));
        assertEquals(14.012, r.value(Metric.CPU_US_PER_MSG));
        assertEquals(3, r.errors());
        assertFalse(r.serverSurvived());
        assertEquals("x", r.fields().get("unknown"));
    }

    @Test
    void theSampleOfARealEchoRun() throws IOException {
        Path f = dir.resolve("full.jsonl");
        try (var in = getClass().getResourceAsStream("echo-results.jsonl")) {
            Files.copy(in, f);
        }
        Loaded<EchoResults.Run> l = EchoResults.read(f);
        assertEquals(32, l.rows().size());
        assertEquals(List.of(), l.skipped());
        assertEquals(8, l.rows().stream().map(EchoResults.Run::variant).distinct().count());
    }

    @Test
    void missingFilesAreNotMeasuredNotErrors() {
        Path none = dir.resolve("none");
        assertFalse(EchoResults.read(none).found());
        assertFalse(HttpResults.read(none).found());
        assertFalse(JmhResults.read(none).found());
        assertFalse(MemoryResults.read(none).found());
        assertFalse(EchoResults.read(none).measured());
    }

    @Test
    void httpLinesNameCoroByItsBackends() throws IOException {
        Path f = write("http.jsonl", """
                {"server":"coro","switch":"loom","poller":"nio","connections":100,"run":1,"requests_per_s":120000.5,"p50_us":700,"p90_us":900,"p99_us":1500,"errors_connect":1,"errors_read":2,"errors_write":0,"errors_timeout":4,"non2xx":5,"cpu_us_per_req":6.5,"duration_s":10,"extra":true}
                {"server":"netty-nio","switch":null,"poller":null,"connections":5000,"run":2,"requests_per_s":1}
                """);
        Loaded<HttpResults.Run> l = HttpResults.read(f);
        assertEquals(List.of(), l.skipped());
        HttpResults.Run coro = l.rows().get(0);
        assertEquals("coro-loom-nio", coro.variant());
        assertEquals(120000.5, coro.value(Metric.REQUESTS_PER_S));
        assertEquals(1500, coro.value(Metric.P99_US));
        assertEquals(6.5, coro.value(Metric.CPU_US_PER_REQ));
        assertEquals(7, coro.errors());
        assertEquals(4, coro.timeouts());
        assertEquals(5, coro.non2xx());
        assertEquals("netty-nio", l.rows().get(1).variant());
        assertEquals(0, l.rows().get(1).errors());
    }

    @Test
    void jmhJsonInAnyModeBecomesNanosecondsPerOperation() throws IOException {
        Path f = write("results.json", """
                [
                  {
                    "jmhVersion" : "1.37",
                    "benchmark" : "dev.coro.bench.SwitchBenchmark.yieldSliceThroughScheduler",
                    "mode" : "avgt", "threads" : 1, "forks" : 1,
                    "jvmArgs" : [ "-Dx=1" ],
                    "vmName" : "OpenJDK 64-Bit Server VM", "vmVersion" : "25.0.3+9-LTS",
                    "warmupIterations" : 3, "warmupTime" : "1 s",
                    "params" : { "switcher" : "native" },
                    "primaryMetric" : {
                      "score" : 0.05, "scoreError" : "NaN", "scoreConfidence" : [ "NaN", "NaN" ],
                      "scorePercentiles" : { "0.0" : 0.04, "100.0" : 0.06 },
                      "scoreUnit" : "us/op",
                      "rawData" : [ [ 0.04, 0.05 ], [ 0.06 ] ]
                    },
                    "secondaryMetrics" : {
                      "gc.alloc.rate.norm" : { "score" : 40.01, "scoreError" : 0.1, "scoreUnit" : "B/op", "rawData" : [ [ 40.0 ] ] }
                    }
                  },
                  {
                    "benchmark" : "dev.coro.bench.SwitchBenchmark.rawContinuationRunYield",
                    "mode" : "thrpt",
                    "primaryMetric" : { "score" : 25.0, "scoreError" : 1.5, "scoreUnit" : "ops/us", "rawData" : [ [ 20.0, 25.0 ] ] },
                    "secondaryMetrics" : { }
                  },
                  { "benchmark" : "dev.coro.bench.Broken.noMetric" }
                ]
                """);
        Loaded<JmhResults.Result> l = JmhResults.read(f);
        assertEquals(2, l.rows().size());
        assertEquals(1, l.skipped().size());
        JmhResults.Result y = l.rows().get(0);
        assertEquals("SwitchBenchmark.yieldSliceThroughScheduler", y.shortName());
        assertEquals("SwitchBenchmark.yieldSliceThroughScheduler [switcher=native]", y.label());
        assertEquals(Map.of("switcher", "native"), y.params());
        assertEquals(50, y.nsPerOp(), 1e-9);
        assertArrayEquals(new double[]{40, 50, 60}, y.rawNsPerOp(), 1e-9);
        assertTrue(Double.isNaN(y.scoreError()));
        assertEquals(40.01, y.allocBytesPerOp());
        assertEquals(new Spread(50, 40, 60, 3), roundedSpread(y.spread()));
        JmhResults.Result raw = l.rows().get(1);
        assertEquals(40, raw.nsPerOp(), 1e-9); // 25 ops/us
        assertEquals(50, raw.spread().max(), 1e-9); // the slowest iteration, 20 ops/us
        assertTrue(Double.isNaN(raw.allocBytesPerOp()));
        assertEquals(1e9, JmhResults.nsPerOp(1, "s/op"));
        assertEquals(1e6, JmhResults.nsPerOp(1000, "ops/s"));
        assertTrue(Double.isNaN(JmhResults.nsPerOp(1, "furlongs")));

        Files.writeString(f, "{\"not\":\"an array\"}");
        assertEquals(List.of("not a JSON array of benchmark results"), JmhResults.read(f).skipped());
        Files.writeString(f, "[ {");
        assertTrue(JmhResults.read(f).skipped().getFirst().startsWith("unreadable: "));
    }

    private static Spread roundedSpread(Spread s) {
        return new Spread(Math.round(s.median()), Math.round(s.min()), Math.round(s.max()), s.n());
    }

    @Test
    void memoryItems() throws IOException {
        Path f = write("memory.json", """
                {"format": "coro-memory/1", "gc": "G1", "results": [
                  {"benchmark": "coroSuspended", "role": "ours", "switchBackend": "native", "poller": "nio", "count": 1000000, "bytesPerItem": 691.2},
                  {"benchmark": "baselineParkedVirtualThreads", "role": "baseline", "switchBackend": null, "count": 1000000, "bytesPerItem": 570},
                  {"benchmark": "coroIdleConnection", "role": "ours", "switchBackend": "loom", "count": 10000, "error": "out of memory"} ]}
                """);
        Loaded<MemoryResults.Item> l = MemoryResults.read(f);
        assertEquals(List.of(new MemoryResults.Item("suspended coro", "native", 1_000_000, 691.2),
                new MemoryResults.Item("parked virtual thread", "vt", 1_000_000, 570)), l.rows());
        assertEquals(1, l.skipped().size());
    }

    private Path write(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }
}
