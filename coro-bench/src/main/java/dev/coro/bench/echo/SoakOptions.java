package dev.coro.bench.echo;

import dev.coro.bench.echo.Flags.BadFlag;

import java.util.List;

/**
 * The soak's flags ({@link EchoSoak}, bin/soak), read by {@link Flags}. Every value is checked here,
 * so a bad flag stops the soak before any process starts. {@code seed} is null when none was given
 * (the soak then draws one and prints it).
 */
record SoakOptions(int connections, double durationSeconds, Long seed, double sampleSeconds, double idleSeconds,
                   int maxSize, double lifeMinSeconds, double lifeMaxSeconds, double resets, double slowloris,
                   double slowlorisGapSeconds, int pending, double shutdownBoundSeconds, double heapTolerance,
                   boolean help) {

    static final String USAGE = """
            usage: bin/soak [--switch S] [--poller P] [JVM options] [flags]
              --connections N      client slots, each holding one connection at a time (default 10000)
              --duration S         seconds of load (default 600)
              --seed X             the seed of every random choice (default: drawn and printed)
              --sample S           seconds between the server's stats samples (default 10)
              --idle S             most seconds a client idles between messages, uniform from 0 (default 5)
              --max-size B         largest message, bytes; sizes are log-uniform from 1 (default 65536)
              --life-min S         shortest connection life before the client reconnects (default 20)
              --life-max S         longest connection life (default 120)
              --resets F           fraction of lives that end in an abrupt reset, SO_LINGER 0 (default 0.10)
              --slowloris F        fraction of lives that send one byte every few seconds (default 0.05)
              --slowloris-gap S    most seconds between a slowloris client's bytes, uniform from 1 (default 5)
              --pending P          most connects not yet answered at once (default 256)
              --shutdown-bound S   seconds the server's end of run under load may take, and its clients
                                   may take to see it (default 60; a bound, not a timing claim)
              --heap-tolerance F   allowed change of the server's heap after GC between the reference
                                   sample (at 2 minutes) and the last (default 0.05); a run under 6 minutes
                                   takes its reference a third of the way in and checks growth only
              --help               this text""";

    private static final List<String> NAMES = List.of("connections", "duration", "seed", "sample", "idle", "max-size",
            "life-min", "life-max", "resets", "slowloris", "slowloris-gap", "pending", "shutdown-bound", "heap-tolerance");

    static SoakOptions parse(String... args) throws BadFlag {
        for (String a : args) {
            if (a.equals("--help") || a.equals("-h")) {
                return new SoakOptions(0, 0, null, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, true);
            }
        }
        Flags f = Flags.parse(args, NAMES);
        Long seed = f.has("seed") ? f.longInteger("seed", 0, Long.MIN_VALUE, Long.MAX_VALUE) : null;
        SoakOptions o = new SoakOptions(
                f.integer("connections", 10_000, 1, 1_000_000),
                f.seconds("duration", 600, 1),
                seed,
                f.seconds("sample", 10, 0.5),
                f.seconds("idle", 5, 0),
                f.integer("max-size", 65_536, 1, 1 << 24),
                f.seconds("life-min", 20, 0.1),
                f.seconds("life-max", 120, 0.1),
                f.number("resets", 0.10, 0, 1, "a fraction"),
                f.number("slowloris", 0.05, 0, 1, "a fraction"),
                f.seconds("slowloris-gap", 5, 1),
                f.integer("pending", 256, 1, 4096),
                f.seconds("shutdown-bound", 60, 1),
                f.number("heap-tolerance", 0.05, 0, 10, "a fraction"),
                false);
        if (o.lifeMaxSeconds() < o.lifeMinSeconds()) {
            throw new BadFlag("--life-max (" + o.lifeMaxSeconds() + ") must be at least --life-min (" + o.lifeMinSeconds() + ")");
        }
        if (o.resets() + o.slowloris() > 1) {
            throw new BadFlag("--resets + --slowloris must be at most 1, not " + (o.resets() + o.slowloris()));
        }
        return o;
    }

    /** Seconds into the load of the heap's reference sample, in a run of at least three times as long. */
    static final double HEAP_REFERENCE_SECONDS = 120;

    /** When the heap's reference sample is due, seconds into the load: the second minute, or a third of a shorter run. */
    double heapReferenceSeconds() {
        return Math.min(HEAP_REFERENCE_SECONDS, durationSeconds / 3);
    }
}
