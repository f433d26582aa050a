package dev.coro.bench.report;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The whole report: from a real echo run and samples of the others, and from nothing at all. */
class BenchReportTest {
    @TempDir
    Path root;

    @Test
    void noInputsAtAllSayWhatToRunPerSection() throws Exception {
        Path out = root.resolve("report");
        Files.createDirectories(out);
        Files.writeString(out.resolve("stale.svg"), "<svg/>");
        MarkdownReport.Report r = BenchReport.write(Inputs.read(root), out);
        String md = Files.readString(out.resolve("README.md"));
        assertTrue(md.startsWith("# coro-bench report"), md);
        assertTrue(md.contains("## Machine"), md);
        assertTrue(md.contains("| cores | " + Runtime.getRuntime().availableProcessors() + " | this JVM"), md);
        assertTrue(md.contains("not measured (run `bin/echo-bench`)"), md);
        assertTrue(md.contains("not measured (run `bin/http-bench`)"), md);
        assertTrue(md.contains("not measured (run `" + Inputs.JMH_COMMAND + "`)"), md);
        assertTrue(md.contains("not measured (run " + Inputs.MEMORY_COMMAND + ")"), md);
        assertTrue(r.charts().isEmpty());
        assertFalse(Files.exists(out.resolve("stale.svg")), "the previous run's charts are gone");
        assertTrue(r.verdicts().stream().allMatch(v -> v.status() == Verdicts.Status.NOT_MEASURED));
    }

    @Test
    void everySectionFromItsFile() throws Exception {
        Path echo = root.resolve(EchoResults.FILE);
        Files.createDirectories(echo.getParent());
        try (var in = getClass().getResourceAsStream("echo-results.jsonl")) {
            Files.copy(in, echo);
        }
        write(HttpResults.FILE, """
                {"server":"coro","switch":"native","poller":"nio","connections":100,"run":1,"requests_per_s":90000,"p50_us":500,"p90_us":800,"p99_us":2000,"errors_connect":0,"errors_read":0,"errors_write":0,"errors_timeout":3,"non2xx":0,"cpu_us_per_req":9,"duration_s":10}
                {"server":"netty-nio","switch":null,"poller":"nio","connections":100,"run":1,"requests_per_s":100000,"p50_us":400,"p90_us":700,"p99_us":1000,"errors_connect":0,"errors_read":0,"errors_write":0,"errors_timeout":0,"non2xx":0,"cpu_us_per_req":8,"duration_s":10}
                {"server":"vt","switch":null,"poller":null,"connections":100,"run":1,"requests_per_s":80000,"p50_us":600,"p90_us":900,"p99_us":3000,"errors_connect":0,"errors_read":0,"errors_write":0,"errors_timeout":0,"non2xx":0,"cpu_us_per_req":10,"duration_s":10}
                """);
        write(JmhResults.FILE, """
                [ {"benchmark":"dev.coro.bench.SwitchBenchmark.coroYieldSlice","mode":"avgt","forks":1,
                   "warmupIterations":3,"warmupTime":"1 s","measurementIterations":5,"measurementTime":"1 s",
                   "params":{"switchBackend":"native"},
                   "primaryMetric":{"score":100,"scoreError":5,"scoreUnit":"ns/op","rawData":[[95,100,105]]},
                   "secondaryMetrics":{"gc.alloc.rate.norm":{"score":40,"scoreUnit":"B/op"}}},
                  {"benchmark":"dev.coro.bench.SwitchBenchmark.baselineRawContinuation","mode":"avgt",
                   "primaryMetric":{"score":50,"scoreError":1,"scoreUnit":"ns/op","rawData":[[49,51]]}},
                  {"benchmark":"dev.coro.bench.SwitchBenchmark.baselinePlatformThreadRoundTrip","mode":"avgt",
                   "primaryMetric":{"score":20000,"scoreError":900,"scoreUnit":"ns/op","rawData":[[19000,21000]]}} ]
                """);
        write(MemoryResults.FILE, """
                {"format":"coro-memory/1","results":[
                  {"benchmark":"coroIdleConnection","role":"ours","switchBackend":"native","poller":"nio","count":5000,"bytesPerItem":3993.6},
                  {"benchmark":"baselineVirtualThreadIdleConnection","role":"baseline","switchBackend":null,"poller":null,"count":5000,"bytesPerItem":4100} ]}
                """);
        Path out = root.resolve(BenchReport.OUT);
        MarkdownReport.Report r = BenchReport.write(Inputs.read(root), out);
        String md = Files.readString(out.resolve("README.md"));

        // the machine and the commands come from the files
        assertTrue(md.contains("| kernel | 6.18.44-fc-v669 | echo and HTTP results |"), md);
        assertTrue(md.contains("`bin/echo-bench --connections 1000,10000 --warmup 5 --duration 12 --repeats 2 --size 32 "
                + "--variants coro-native-nio,"), md);
        assertTrue(md.contains("bin/bench -f 1 -wi 3 -w 1s -i 5 -r 1s -prof gc -rf json -rff " + JmhResults.FILE
                + " SwitchBenchmark"), md);
        // a target row: ratio, range, target, verdict, source
        assertTrue(md.contains("| server CPU per message (µs) | 1,000 connections | coro-native-nio | 14.1 [14.0–14.3] "
                + "| nio-loop | 11.2 [10.6–11.8] | 1.26× [1.19×–1.34×] | ≤ 1.10× | **missed** |"), md);
        assertTrue(md.contains("| throughput (req/s) | 100 connections | coro-native-nio | 90.0k | netty-nio | 100.0k "
                + "| 0.90× | ≥ 1.00× | **missed** |"), md);
        assertTrue(md.contains("| switch round trip (yieldSlice), native (ns) | switchBackend=native | SwitchBenchmark.coroYieldSlice | 100 [95.0–105] | "
                + "SwitchBenchmark.baselineRawContinuation | 50.0 [49.0–51.0] | 2.00× [1.86×–2.14×] | ≤ 1.30× | **missed** |"), md);
        assertTrue(md.contains("| heap per idle connection (B) | 5,000 items | idle connection [native] | 3,994 | – | – "
                + "| – | ≤ 4,096 B | met |"), md);
        // where coro loses, in words, per section; absent benchmarks said so
        assertTrue(md.contains("at 10,000 connections, coro-native-nio: throughput is 0.87× netty-nio's"), md);
        assertTrue(md.contains("no benchmark matches SpawnBenchmark.coroSpawnJoin"), md);
        // the platform handoff is off the switch chart's scale, and said so
        assertTrue(md.contains("Left out of this chart"), md);
        assertTrue(md.contains("SwitchBenchmark.baselinePlatformThreadRoundTrip: 20,000 ns/op"), md);

        assertEquals(List.of("echo-throughput.svg", "echo-p99.svg", "echo-cpu.svg", "http-throughput.svg", "http-p99.svg",
                "jmh-switchbenchmark.svg", "memory.svg"), List.copyOf(r.charts().keySet()));
        try (Stream<Path> files = Files.list(out)) {
            for (Path svg : files.filter(p -> p.toString().endsWith(".svg")).toList()) {
                assertEquals("svg", SvgChartTest.parse(Files.readString(svg)).getDocumentElement().getLocalName());
                assertTrue(md.contains("](" + svg.getFileName() + ")"), svg + " is linked from the report");
            }
        }
    }

    private void write(String file, String text) throws IOException {
        Path p = root.resolve(file);
        Files.createDirectories(p.getParent());
        Files.writeString(p, text);
    }
}
