package dev.coro.bench.echo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A result line: one flat JSON object whose values are strings, numbers ({@code Double}), booleans
 * or null. {@link Json} parses it; anything else (nesting, not an object) is an
 * {@code IllegalArgumentException} saying what.
 */
public final class FlatJson {
    private FlatJson() {
    }

    @SuppressWarnings("unchecked")
    public static Map<String, Object> parse(String line) {
        if (!(Json.parse(line) instanceof Map<?, ?> m)) {
            throw new IllegalArgumentException("a result line must be one JSON object: " + line);
        }
        for (Map.Entry<?, ?> e : m.entrySet()) {
            if (e.getValue() instanceof Map || e.getValue() instanceof List) {
                throw new IllegalArgumentException("a result line is flat, but \"" + e.getKey() + "\" holds "
                        + (e.getValue() instanceof Map ? "an object" : "an array"));
            }
        }
        return (Map<String, Object>) m;
    }

    /** Every non-blank line of {@code file}, parsed; a bad line is an IllegalArgumentException naming file and line. */
    public static List<Map<String, Object>> readLines(Path file) throws IOException {
        List<Map<String, Object>> rows = new ArrayList<>();
        int n = 0;
        for (String line : Files.readAllLines(file)) {
            n++;
            if (!line.isBlank()) {
                try {
                    rows.add(parse(line));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(file + ":" + n + ": " + e.getMessage(), e);
                }
            }
        }
        return rows;
    }
}
