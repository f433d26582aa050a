package dev.coro.examples.c10k;

import java.io.PrintStream;

/**
 * The live progress line. On a terminal it is one line rewritten in place ({@code \r}, padded over the
 * previous text) several times a second; elsewhere (a pipe, a file, a test) it is a plain line every
 * {@link #PLAIN_EVERY_NANOS}, so a log stays short and readable. Only the load generator's scheduler
 * thread calls it.
 */
final class Progress {
    static final long TTY_EVERY_NANOS = 250_000_000L;
    static final long PLAIN_EVERY_NANOS = 2_000_000_000L;

    private final PrintStream out;
    private final boolean terminal;
    private int shown; // length of the line on screen (terminal only)

    Progress(PrintStream out, boolean terminal) {
        this.out = out;
        this.terminal = terminal;
    }

    /** Whether this JVM's standard output is a terminal (JDK 22+: System.console() exists even for a pipe). */
    static boolean stdoutIsTerminal() {
        java.io.Console c = System.console();
        return c != null && c.isTerminal();
    }

    long intervalNanos() {
        return terminal ? TTY_EVERY_NANOS : PLAIN_EVERY_NANOS;
    }

    void show(String line) {
        if (terminal) {
            out.print("\r" + line + " ".repeat(Math.max(0, shown - line.length())));
            shown = line.length();
        } else {
            out.println(line);
        }
        out.flush();
    }

    /** Shows {@code line} and leaves it on screen: the next output starts on a line of its own. */
    void settle(String line) {
        show(line);
        if (terminal) {
            out.println();
            shown = 0;
        }
    }
}
