package dev.coro.bench.echo;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Just enough JSON for the bench's result files: objects as {@code Map<String, Object>}, arrays as
 * {@code List<Object>}, numbers as {@code Double} (JMH's {@code "NaN"} and {@code "Infinity"} stay
 * strings; {@link #number} reads them). Anything else is an {@code IllegalArgumentException} saying
 * where. {@link FlatJson} is the same for the one-object-per-line files.
 */
public final class Json {
    private final String s;
    private int i;

    private Json(String s) {
        this.s = s;
    }

    public static Object parse(String text) {
        Json j = new Json(text);
        Object v = j.value();
        if (j.peek() != 0) {
            throw j.error("text after the value");
        }
        return v;
    }

    /** A number, or a JMH-style string "NaN"/"Infinity"/"-Infinity"; NaN for anything else. */
    public static double number(Object o) {
        if (o instanceof Number n) {
            return n.doubleValue();
        }
        if (o instanceof String str) {
            try {
                return Double.parseDouble(str);
            } catch (NumberFormatException e) {
                return Double.NaN;
            }
        }
        return Double.NaN;
    }

    private Object value() {
        char c = peek();
        switch (c) {
            case '{' -> {
                i++;
                Map<String, Object> m = new LinkedHashMap<>();
                if (!take('}')) {
                    do {
                        if (peek() != '"') {
                            throw error("expected a key");
                        }
                        String key = string();
                        expect(':');
                        m.put(key, value());
                    } while (take(','));
                    expect('}');
                }
                return m;
            }
            case '[' -> {
                i++;
                List<Object> a = new ArrayList<>();
                if (!take(']')) {
                    do {
                        a.add(value());
                    } while (take(','));
                    expect(']');
                }
                return a;
            }
            case '"' -> {
                return string();
            }
            default -> {
                for (String word : new String[]{"null", "true", "false"}) {
                    if (s.startsWith(word, i)) {
                        i += word.length();
                        return word.equals("null") ? null : Boolean.valueOf(word);
                    }
                }
                int start = i;
                while (i < s.length() && "+-0123456789.eE".indexOf(s.charAt(i)) >= 0) {
                    i++;
                }
                try {
                    return Double.valueOf(s.substring(start, i));
                } catch (NumberFormatException e) {
                    i = start;
                    throw error("not a JSON value");
                }
            }
        }
    }

    private String string() {
        expect('"');
        StringBuilder b = new StringBuilder();
        while (i < s.length() && s.charAt(i) != '"') {
            char c = s.charAt(i++);
            if (c != '\\') {
                b.append(c);
                continue;
            }
            if (i >= s.length()) {
                break;
            }
            char e = s.charAt(i++);
            switch (e) {
                case 'n' -> b.append('\n');
                case 't' -> b.append('\t');
                case 'r' -> b.append('\r');
                case 'b' -> b.append('\b');
                case 'f' -> b.append('\f');
                case 'u' -> {
                    if (i + 4 > s.length()) {
                        throw error("short \\u escape");
                    }
                    b.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
                    i += 4;
                }
                default -> b.append(e); // \" \\ \/
            }
        }
        expect('"');
        return b.toString();
    }

    private char peek() {
        while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
            i++;
        }
        return i < s.length() ? s.charAt(i) : 0;
    }

    private boolean take(char c) {
        if (peek() == c) {
            i++;
            return true;
        }
        return false;
    }

    private void expect(char c) {
        if (!take(c)) {
            throw error("expected '" + c + "'");
        }
    }

    private IllegalArgumentException error(String what) {
        int line = 1;
        for (int k = 0; k < i && k < s.length(); k++) {
            if (s.charAt(k) == '\n') {
                line++;
            }
        }
        return new IllegalArgumentException(what + " at line " + line + ", offset " + i);
    }
}
