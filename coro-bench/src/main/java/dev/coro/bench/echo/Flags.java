package dev.coro.bench.echo;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Flags of the echo harness's mains, {@code --name value} or {@code --name=value}, checked as they
 * are read: an unknown flag, a missing value or one out of range is a {@link BadFlag} whose message
 * says which and why. Shared by {@link LoadOptions} and {@link SoakOptions}.
 */
final class Flags {
    private final Map<String, String> values;

    private Flags(Map<String, String> values) {
        this.values = values;
    }

    /** A flag the user got wrong; the message is meant for them. */
    static final class BadFlag extends Exception {
        private static final long serialVersionUID = 1L;

        BadFlag(String message) {
            super(message);
        }
    }

    /** The flags in {@code args}, each of which must be one of {@code names} (without the dashes), at most once. */
    static Flags parse(String[] args, List<String> names) throws BadFlag {
        Map<String, String> v = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("--")) {
                throw new BadFlag("not a flag: '" + a + "'");
            }
            int eq = a.indexOf('=');
            String name = a.substring(2, eq < 0 ? a.length() : eq);
            if (!names.contains(name)) {
                throw new BadFlag("unknown flag --" + name);
            }
            String value;
            if (eq >= 0) {
                value = a.substring(eq + 1);
            } else if (i + 1 < args.length) {
                value = args[++i];
            } else {
                throw new BadFlag("--" + name + " needs a value");
            }
            if (v.put(name, value) != null) {
                throw new BadFlag("--" + name + " given twice");
            }
        }
        return new Flags(v);
    }

    boolean has(String name) {
        return values.containsKey(name);
    }

    /** The raw value, or {@code dflt} if the flag was not given. */
    String string(String name, String dflt) {
        return values.getOrDefault(name, dflt);
    }

    int integer(String name, int dflt, int min, int max) throws BadFlag {
        long n = longInteger(name, dflt, min, max);
        return (int) n;
    }

    long longInteger(String name, long dflt, long min, long max) throws BadFlag {
        String s = values.get(name);
        if (s == null) {
            return dflt;
        }
        try {
            long n = Long.parseLong(s.replace("_", ""));
            if (n < min || n > max) {
                throw new BadFlag("--" + name + " must be in [" + min + ", " + max + "], not " + n);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new BadFlag("--" + name + " must be an integer, not '" + s + "'");
        }
    }

    double seconds(String name, double dflt, double min) throws BadFlag {
        return number(name, dflt, min, Double.MAX_VALUE, "a number of seconds");
    }

    /** A finite number in [min, max]; {@code what} names it in the message ("a fraction"). */
    double number(String name, double dflt, double min, double max, String what) throws BadFlag {
        String s = values.get(name);
        if (s == null) {
            return dflt;
        }
        try {
            double d = Double.parseDouble(s);
            if (!(d >= min && d <= max)) { // also rejects NaN
                throw new BadFlag("--" + name + " must be " + what + " in [" + min + ", "
                        + (max == Double.MAX_VALUE ? "∞" : max) + "], not " + s);
            }
            return d;
        } catch (NumberFormatException e) {
            throw new BadFlag("--" + name + " must be " + what + ", not '" + s + "'");
        }
    }
}
