package dev.coro.bench.report;

import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Reads {@code coro-bench/target/jmh/memory.json} as {@code MemoryFootprint} writes it (format
 * {@code coro-memory/1}): an object whose {@code results} array holds
 * {@code {"benchmark": "coroSuspended"|"coroIdleConnection"|"baselineParkedVirtualThreads"|
 * "baselineVirtualThreadIdleConnection", "switchBackend": "native"|"loom"|null, "poller": …,
 * "count": 10000, "bytesPerItem": 691.2}} (or {@code "error"} instead of the figures). Each becomes an
 * {@link Item} named as the targets name them: {@code what} "suspended coro", "parked virtual
 * thread" or "idle connection", {@code variant} the switch backend, or "vt" for a baseline. This
 * class is the only place that knows that format.
 */
final class MemoryResults {
    static final String FILE = "coro-bench/target/jmh/memory.json";

    private MemoryResults() {
    }

    record Item(String what, String variant, long count, double bytesPerItem) {
    }

    static Loaded<Item> read(Path file) {
        String[] why = new String[1];
        Object doc;
        try {
            doc = Loaded.document(file, why);
        } catch (NoSuchFileException e) {
            return Loaded.missing(file);
        }
        Object results = doc instanceof Map<?, ?> m ? m.get("results") : doc;
        if (!(results instanceof List<?> list)) {
            return new Loaded<>(file, true, List.of(), List.of(doc == null ? "unreadable: " + why[0]
                    : "not a coro-memory/1 document (no \"results\" array)"));
        }
        return Loaded.entries(file, list, MemoryResults::item);
    }

    @SuppressWarnings("unchecked")
    private static Item item(Object o) {
        Map<String, Object> m = (Map<String, Object>) o;
        String error = Loaded.optionalText(m, "error");
        if (error != null) {
            throw new IllegalArgumentException(Loaded.text(m, "benchmark") + " failed: " + error);
        }
        String benchmark = Loaded.text(m, "benchmark");
        String what = switch (benchmark) {
            case "coroSuspended" -> "suspended coro";
            case "baselineParkedVirtualThreads" -> "parked virtual thread";
            case "coroIdleConnection", "baselineVirtualThreadIdleConnection" -> "idle connection";
            default -> throw new IllegalArgumentException("unknown memory benchmark '" + benchmark + "'");
        };
        String variant = benchmark.startsWith("baseline") ? "vt" : Loaded.text(m, "switchBackend");
        return new Item(what, variant, (long) Loaded.optionalNumber(m, "count"), Loaded.number(m, "bytesPerItem"));
    }
}
