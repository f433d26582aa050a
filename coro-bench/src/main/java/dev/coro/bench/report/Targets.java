package dev.coro.bench.report;

import java.util.List;
import java.util.regex.Pattern;

/**
 * The targets the report checks, in one table: SPEC.md §6 ({@code SPEC.md#targets}) and the stricter
 * list of issue 13, each row citing where it comes from. Where the two differ the stricter figure is
 * the row's; rows marked "parity" compare against a baseline issue 12 names but §6 gives no figure for.
 *
 * <p>Selectors, per section (each {@code *} matches any run of characters):
 * <ul>
 * <li>echo, HTTP: the server variant ({@code coro-native-nio}, {@code netty-nio}, {@code vt}, …); a
 *     glob in "ours" gives one row per matching variant;
 * <li>JMH: {@code Class.method[param=value, …]} against the benchmark's simple class name and method,
 *     a parameter key may list alternatives ({@code switcher|backend=native}); one row per matching
 *     result, compared with the baseline result that agrees on the parameters both have. This is THE
 *     table mapping the JMH benchmarks onto rows: rename here when a benchmark is renamed;
 * <li>memory: {@code what[variant]}, compared at the same {@code count}.
 * </ul>
 * A row without baseline is absolute: the figure itself is held against the limit.
 */
final class Targets {
    private Targets() {
    }

    enum Section {
        ECHO("Echo (end to end, loopback)"), HTTP("HTTP hello (wrk)"), JMH("JMH: switch, spawn, sleep, handoff"),
        MEMORY("Memory");

        final String title;

        Section(String title) {
            this.title = title;
        }
    }

    enum Op {
        AT_MOST("≤"), AT_LEAST("≥"), BELOW("<");

        final String sign;

        Op(String sign) {
            this.sign = sign;
        }

        boolean holds(double x, double limit) {
            return switch (this) {
                case AT_MOST -> x <= limit;
                case AT_LEAST -> x >= limit;
                case BELOW -> x < limit;
            };
        }
    }

    /**
     * Ours against baseline: {@code ours / baseline} of {@code metric}, {@code op} {@code limit}; or, with
     * {@code baseline == null}, ours's figure itself against {@code limit} (in the metric's unit).
     */
    record Target(Section section, String what, Metric metric, String ours, Op op, double limit, String baseline,
                  String source) {
        boolean absolute() {
            return baseline == null;
        }

        /** "≤ 1.10×", "≤ 0.033× (≥ 30× faster)", "≤ 4,096 B": the limit (the baseline is said beside it). */
        String describe() {
            if (absolute()) {
                return op.sign + " " + Fmt.num(limit) + " " + metric.unit;
            }
            String s = op.sign + " " + Fmt.ratio(limit);
            if (!metric.higherIsBetter && limit < 1 && op != Op.AT_LEAST) {
                double f = 1 / limit;
                s += " (≥ " + (Math.abs(f - Math.rint(f)) < 1e-6 ? Fmt.plain(Math.rint(f)) : Fmt.num(f)) + "× faster)";
            }
            return s;
        }
    }

    private static final String SPEC = "SPEC.md#targets";
    private static final String I13 = "issue 13";
    private static final String PARITY = "issue 12 baseline (no §6 figure: parity)";
    private static final double GIB_2_PER_MILLION = 2.0 * 1024 * 1024 * 1024 / 1_000_000;

    private static Target t(Section s, String what, Metric m, String ours, Op op, double limit, String baseline,
                            String source) {
        return new Target(s, what, m, ours, op, limit, baseline, source);
    }

    static final List<Target> ALL = List.of(
            // Echo: each connection count in the file (issue 13: both 1,000 and 10,000; §6: 10,000).
            t(Section.ECHO, "server CPU per message", Metric.CPU_US_PER_MSG, "coro-native-nio", Op.AT_MOST, 1.10,
                    "nio-loop", SPEC + " (echo); " + I13),
            t(Section.ECHO, "server CPU per message", Metric.CPU_US_PER_MSG, "coro-native-nio", Op.BELOW, 1.00,
                    "netty-nio", I13 + " (below Netty NIO; §6: ≤ Netty's)"),
            t(Section.ECHO, "throughput", Metric.MSGS_PER_S, "coro-*-nio", Op.AT_LEAST, 1.50, "vt",
                    SPEC + " (echo; issue 13 asks ≥ 1.2×)"),
            t(Section.ECHO, "throughput", Metric.MSGS_PER_S, "coro-*-nio", Op.AT_LEAST, 1.00, "netty-nio",
                    SPEC + " (echo); " + I13),
            t(Section.ECHO, "p99 latency", Metric.P99_US, "coro-*-nio", Op.AT_MOST, 1.00, "netty-nio",
                    SPEC + " (echo); " + I13),

            // HTTP: §6 has no HTTP row; issue 12 names the baselines.
            t(Section.HTTP, "throughput", Metric.REQUESTS_PER_S, "coro-*", Op.AT_LEAST, 1.00, "netty-nio", PARITY),
            t(Section.HTTP, "throughput", Metric.REQUESTS_PER_S, "coro-*", Op.AT_LEAST, 1.00, "vt", PARITY),
            t(Section.HTTP, "p99 latency", Metric.P99_US, "coro-*", Op.AT_MOST, 1.00, "netty-nio", PARITY),
            t(Section.HTTP, "server CPU per request", Metric.CPU_US_PER_REQ, "coro-*", Op.AT_MOST, 1.00, "netty-nio",
                    PARITY),

            // JMH: time per operation (any mode, converted), ours over baseline.
            t(Section.JMH, "switch round trip (yieldSlice), native", Metric.NS_PER_OP,
                    "SwitchBenchmark.coroYieldSlice[switchBackend=native]", Op.AT_MOST, 1.30,
                    "SwitchBenchmark.baselineRawContinuation", SPEC + " (switch); " + I13),
            t(Section.JMH, "switch round trip (CondVar ping-pong), native", Metric.NS_PER_OP,
                    "SwitchBenchmark.coroCondVarPingPong[switchBackend=native]", Op.AT_MOST, 1.30,
                    "SwitchBenchmark.baselineRawContinuation", I13),
            t(Section.JMH, "switch round trip (yieldSlice), loom", Metric.NS_PER_OP,
                    "SwitchBenchmark.coroYieldSlice[switchBackend=loom]", Op.AT_MOST, 1.30,
                    "SwitchBenchmark.baselineVirtualThreadYield", SPEC + " (switch); " + I13),
            t(Section.JMH, "switch round trip (CondVar ping-pong), loom", Metric.NS_PER_OP,
                    "SwitchBenchmark.coroCondVarPingPong[switchBackend=loom]", Op.AT_MOST, 1.30,
                    "SwitchBenchmark.baselineVirtualThreadPingPong", I13),
            t(Section.JMH, "switch round trip vs a platform-thread handoff", Metric.NS_PER_OP,
                    "SwitchBenchmark.coroYieldSlice", Op.AT_MOST, 1.0 / 30, "SwitchBenchmark.baselinePlatformThreadRoundTrip",
                    SPEC + " (switch)"),
            t(Section.JMH, "spawn + finish of 1M coros", Metric.NS_PER_OP, "SpawnBenchmark.coroSpawnJoin", Op.AT_MOST, 0.5,
                    "SpawnBenchmark.baselineVirtualThreadStartJoin", SPEC + " (spawn)"),
            t(Section.JMH, "1M sleeps, random deadlines", Metric.NS_PER_OP, "SleepBenchmark.coroSleep", Op.AT_MOST, 1.0 / 3,
                    "SleepBenchmark.baselineScheduledThreadPoolExecutor", SPEC + " (sleeps)"),
            t(Section.JMH, "1M sleeps vs Netty's HashedWheelTimer", Metric.NS_PER_OP, "SleepBenchmark.coroSleep",
                    Op.AT_MOST, 1.00, "SleepBenchmark.baselineHashedWheelTimer", PARITY),
            t(Section.JMH, "producer–consumer handoff", Metric.NS_PER_OP, "HandoffBenchmark.coro*", Op.AT_MOST, 1.00,
                    "HandoffBenchmark.baselineSynchronousQueueVirtualThreads", PARITY),
            t(Section.JMH, "allocation per steady-state echo round trip", Metric.ALLOC_B_PER_OP,
                    "EchoAllocationBenchmark.coroEchoRoundTrip", Op.AT_MOST, 1.0, null,
                    I13 + " (zero; ≤ 1 B/op leaves JMH's own noise)"),
            t(Section.JMH, "allocation per echo round trip on the array API", Metric.ALLOC_B_PER_OP,
                    "EchoAllocationBenchmark.coroEchoRoundTripArrays", Op.AT_MOST, 49.0, null,
                    I13 + " (recv's result only: 48 B for 32 bytes)"),

            // Memory: bytes per item, at the same count.
            t(Section.MEMORY, "heap per idle connection", Metric.BYTES_PER_ITEM, "idle connection[native]", Op.AT_MOST,
                    4096, null, SPEC + " (memory); " + I13),
            t(Section.MEMORY, "heap per idle connection", Metric.BYTES_PER_ITEM, "idle connection[loom]", Op.AT_MOST,
                    4096, null, SPEC + " (memory); " + I13),
            t(Section.MEMORY, "heap per idle connection", Metric.BYTES_PER_ITEM, "idle connection[native]", Op.AT_MOST,
                    1.00, "idle connection[vt]", PARITY),
            t(Section.MEMORY, "heap per idle connection", Metric.BYTES_PER_ITEM, "idle connection[loom]", Op.AT_MOST,
                    1.00, "idle connection[vt]", PARITY),
            t(Section.MEMORY, "heap per sleeping coro", Metric.BYTES_PER_ITEM, "suspended coro[*]", Op.AT_MOST, 1.00,
                    "parked virtual thread[*]", I13),
            t(Section.MEMORY, "heap per sleeping coro (1M in 2 GiB)", Metric.BYTES_PER_ITEM, "suspended coro[*]",
                    Op.AT_MOST, GIB_2_PER_MILLION, null, SPEC + " (memory)"));

    static List<Target> of(Section s) {
        return ALL.stream().filter(t -> t.section() == s).toList();
    }

    /** {@code *} matches any run of characters (none included); everything else stands for itself. */
    static boolean glob(String pattern, String s) {
        StringBuilder re = new StringBuilder();
        for (String part : pattern.split("\\*", -1)) {
            if (!re.isEmpty()) {
                re.append(".*");
            }
            re.append(Pattern.quote(part));
        }
        return Pattern.matches(re.toString(), s);
    }
}
