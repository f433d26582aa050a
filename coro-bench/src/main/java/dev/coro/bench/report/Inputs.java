package dev.coro.bench.report;

import java.nio.file.Path;

/**
 * The four inputs of a report, each read by its own reader, and the command that makes each (which the
 * report prints when one is missing: "not measured (run …)").
 */
record Inputs(Loaded<EchoResults.Run> echo, Loaded<HttpResults.Run> http, Loaded<JmhResults.Result> jmh,
              Loaded<MemoryResults.Item> memory) {
    static final String ECHO_COMMAND = "bin/echo-bench";
    static final String HTTP_COMMAND = "bin/http-bench";
    static final String JMH_COMMAND = "bin/bench -rf json -rff " + JmhResults.FILE;
    static final String MEMORY_COMMAND = "the memory benchmark, which writes " + MemoryResults.FILE;

    static Inputs read(Path echo, Path http, Path jmh, Path memory) {
        return new Inputs(EchoResults.read(echo), HttpResults.read(http), JmhResults.read(jmh),
                MemoryResults.read(memory));
    }

    /** The files where the benchmarks leave them, under the repository's root. */
    static Inputs read(Path root) {
        return read(root.resolve(EchoResults.FILE), root.resolve(HttpResults.FILE), root.resolve(JmhResults.FILE),
                root.resolve(MemoryResults.FILE));
    }
}
