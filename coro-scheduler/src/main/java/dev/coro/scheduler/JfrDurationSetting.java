package dev.coro.scheduler;

import jdk.jfr.SettingControl;

import java.util.Set;

/**
 * A JFR setting that is a duration, e.g. {@code 100 ms}, {@code 1 s}, {@code 0 ns}: the minimum of a
 * coro event's own measure (a coro's lifetime, a poll's duration). Several recordings combine to the
 * smallest, so each gets at least what it asked for. A subclass per default value, since JFR makes
 * the control through its no-argument constructor.
 */
abstract class JfrDurationSetting extends SettingControl {
    long nanos;

    JfrDurationSetting(long defaultNanos) {
        this.nanos = defaultNanos;
    }

    /** Default 1 s. */
    static final class OneSecond extends JfrDurationSetting {
        public OneSecond() {
            super(1_000_000_000L);
        }
    }

    /** Default 20 ms. */
    static final class TwentyMillis extends JfrDurationSetting {
        public TwentyMillis() {
            super(20_000_000L);
        }
    }

    @Override
    public String combine(Set<String> values) {
        String least = null;
        long min = Long.MAX_VALUE;
        for (String v : values) {
            long n = parse(v, Long.MAX_VALUE);
            if (n < min) {
                min = n;
                least = v;
            }
        }
        return least != null ? least : getValue();
    }

    @Override
    public void setValue(String value) {
        nanos = parse(value, nanos);
    }

    @Override
    public String getValue() {
        return nanos + " ns";
    }

    /**
     * {@code <number>[ ]<unit>} with unit ns, us, ms, s, m, h or d, or a bare 0; anything else is
     * {@code otherwise} (JFR passes values through unchecked, and a bad one must not end recording).
     */
    static long parse(String value, long otherwise) {
        String v = value.trim();
        int i = 0;
        while (i < v.length() && Character.isDigit(v.charAt(i))) {
            i++;
        }
        if (i == 0) {
            return otherwise;
        }
        long n;
        try {
            n = Long.parseLong(v.substring(0, i));
        } catch (NumberFormatException tooLong) {
            return Long.MAX_VALUE;
        }
        long unit = switch (v.substring(i).trim()) {
            case "ns" -> 1L;
            case "us" -> 1_000L;
            case "ms" -> 1_000_000L;
            case "s" -> 1_000_000_000L;
            case "m" -> 60_000_000_000L;
            case "h" -> 3_600_000_000_000L;
            case "d" -> 86_400_000_000_000L;
            case "" -> n == 0 ? 1L : -1L;
            default -> -1L;
        };
        if (unit < 0) {
            return otherwise;
        }
        return n > Long.MAX_VALUE / unit ? Long.MAX_VALUE : n * unit;
    }
}
