package dev.coro.bench.report;

/** One measured run of one server (echo or HTTP): what the echo and HTTP targets and charts compare. */
interface ServerRun {
    /** The server as the benchmark names it: {@code coro-native-nio}, {@code netty-nio}, {@code vt}, … */
    String variant();

    long connections();

    int run();

    /** The figure, or NaN when this kind of run does not have it. */
    double value(Metric m);
}
