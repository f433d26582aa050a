package dev.coro.tck.scheduler;

/**
 * One line of a trace: at virtual time {@code ms}, coro {@code coro} did {@code what}, with
 * {@code timers} timers in the heap ({@code -1}: not compared, e.g. during the end-of-run shutdown).
 */
public record Event(long ms, int coro, String what, int timers) {

    @Override
    public String toString() {
        return "@" + ms + "ms c" + coro + " " + what + (timers >= 0 ? "  [timers=" + timers + "]" : "");
    }
}
