package dev.coro.bench.report;

/** A figure a target compares; {@code higherIsBetter} says which way "coro loses" points. */
enum Metric {
    MSGS_PER_S("messages/s", "msgs/s", true),
    REQUESTS_PER_S("requests/s", "req/s", true),
    P99_US("p99 latency", "µs", false),
    CPU_US_PER_MSG("server CPU per message", "µs", false),
    CPU_US_PER_REQ("server CPU per request", "µs", false),
    NS_PER_OP("time per operation", "ns", false),
    ALLOC_B_PER_OP("allocation per operation", "B/op", false),
    BYTES_PER_ITEM("heap per item", "B", false);

    final String label;
    final String unit;
    final boolean higherIsBetter;

    Metric(String label, String unit, boolean higherIsBetter) {
        this.label = label;
        this.unit = unit;
        this.higherIsBetter = higherIsBetter;
    }
}
