package dev.coro.bench.report;

import dev.coro.bench.echo.FlatJson;
import dev.coro.bench.echo.Json;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * What one reader made of one input file: whether the file was there, its rows, and what it skipped
 * (a line it could not read, with why) so that the report can say so instead of failing.
 */
record Loaded<T>(Path file, boolean found, List<T> rows, List<String> skipped) {
    Loaded {
        rows = List.copyOf(rows);
        skipped = List.copyOf(skipped);
    }

    static <T> Loaded<T> missing(Path file) {
        return new Loaded<>(file, false, List.of(), List.of());
    }

    /** There is something to report: the file exists and gave at least one row. */
    boolean measured() {
        return found && !rows.isEmpty();
    }

    /**
     * A JSON-lines file (one flat object a line, through {@link FlatJson}); {@code row} turns an object
     * into a row or throws {@code IllegalArgumentException} saying which field is missing.
     */
    static <T> Loaded<T> jsonLines(Path file, Function<Map<String, Object>, T> row) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (NoSuchFileException e) {
            return missing(file);
        } catch (IOException e) {
            return new Loaded<>(file, true, List.of(), List.of("unreadable: " + e));
        }
        List<T> rows = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        for (int n = 0; n < lines.size(); n++) {
            String line = lines.get(n);
            if (line.isBlank()) {
                continue;
            }
            try {
                rows.add(row.apply(FlatJson.parse(line)));
            } catch (IllegalArgumentException | ClassCastException e) {
                skipped.add("line " + (n + 1) + ": " + e.getMessage());
            }
        }
        return new Loaded<>(file, true, rows, skipped);
    }

    /**
     * The entries of a JSON array read from {@code file}; {@code entry} turns one into a row or throws
     * {@code IllegalArgumentException} (or {@code ClassCastException}), and that entry is skipped, with why.
     */
    static <T> Loaded<T> entries(Path file, List<?> array, Function<Object, T> entry) {
        List<T> rows = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        for (int k = 0; k < array.size(); k++) {
            try {
                rows.add(entry.apply(array.get(k)));
            } catch (IllegalArgumentException | ClassCastException e) {
                skipped.add("entry " + (k + 1) + ": " + e.getMessage());
            }
        }
        return new Loaded<>(file, true, rows, skipped);
    }

    /** A whole JSON document (through {@link Json}), or {@code null} with the reason in {@code why[0]}. */
    static Object document(Path file, String[] why) throws NoSuchFileException {
        try {
            return Json.parse(Files.readString(file));
        } catch (NoSuchFileException e) {
            throw e;
        } catch (IOException | IllegalArgumentException e) {
            why[0] = e.getMessage();
            return null;
        }
    }

    // Field access for the readers: required fields throw (the line is skipped), optional ones default.

    static String text(Map<String, Object> m, String key) {
        if (!(m.get(key) instanceof String s)) {
            throw new IllegalArgumentException("no string field '" + key + "'");
        }
        return s;
    }

    static String optionalText(Map<String, Object> m, String key) {
        return m.get(key) instanceof String s ? s : null;
    }

    static double number(Map<String, Object> m, String key) {
        double d = Json.number(m.get(key));
        if (!(m.get(key) instanceof Number) && Double.isNaN(d)) {
            throw new IllegalArgumentException("no number field '" + key + "'");
        }
        return d;
    }

    static double optionalNumber(Map<String, Object> m, String key) {
        return Json.number(m.get(key));
    }

    static long count(Map<String, Object> m, String... keys) {
        long sum = 0;
        for (String k : keys) {
            double d = Json.number(m.get(k));
            if (!Double.isNaN(d)) {
                sum += (long) d;
            }
        }
        return sum;
    }
}
