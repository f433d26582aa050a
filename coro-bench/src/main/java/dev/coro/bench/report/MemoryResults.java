package dev.coro.bench.report;

import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads {@code coro-bench/target/jmh/memory.json}, assumed to be a JSON array of
 * {@code {"what": "suspended coro"|"parked virtual thread"|"idle connection"|…, "variant": "native"|"loom"|
 * "vt"|…, "count": 10000, "bytes_per_item": 691.2}}. This class is the only place that knows that
 * format: if the memory benchmark writes another, {@link #item} is what changes.
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
        if (!(doc instanceof List<?> list)) {
            return new Loaded<>(file, true, List.of(), List.of(doc == null ? "unreadable: " + why[0]
                    : "not a JSON array of measurements"));
        }
        List<Item> rows = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        for (int k = 0; k < list.size(); k++) {
            try {
                rows.add(item(list.get(k)));
            } catch (IllegalArgumentException | ClassCastException e) {
                skipped.add("entry " + (k + 1) + ": " + e.getMessage());
            }
        }
        return new Loaded<>(file, true, rows, skipped);
    }

    @SuppressWarnings("unchecked")
    private static Item item(Object o) {
        Map<String, Object> m = (Map<String, Object>) o;
        String variant = Loaded.optionalText(m, "variant");
        return new Item(Loaded.text(m, "what"), variant == null ? "" : variant,
                (long) Loaded.optionalNumber(m, "count"), Loaded.number(m, "bytes_per_item"));
    }
}
