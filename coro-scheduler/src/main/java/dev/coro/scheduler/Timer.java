package dev.coro.scheduler;

/**
 * An entry of the {@link TimerHeap}: a sleeper (wakes its coro) or a timebomb (interrupts its coro,
 * which the owning {@code withTimeout} frame turns into a timeout). A timebomb is the
 * {@code value()} of the {@code CoroInterruptedException} it raises.
 *
 * <p>States: in the heap ({@code index >= 0}); held (a timebomb popped while its coro was scheduled,
 * re-inserted at the end of the timer phase — once: popped again with its coro still scheduled, it is
 * delivered anyway, SPEC.md rule 2); expired (popped and acted on, or removed by its owner). The owner
 * removes a timer that has not expired when its wait ends, so no timer outlives its wait.
 */
final class Timer {
    final CoroImpl<?> coro;
    final boolean timebomb;
    final long deadline;
    /** Insertion order among equal deadlines; set by {@link TimerHeap#add}. */
    long seq;
    /** Position in the heap array, or -1 when not in the heap. */
    int index = -1;
    boolean expired;
    /** A timebomb that was held once already (rule 2). */
    boolean held;

    Timer(CoroImpl<?> coro, long deadline, boolean timebomb) {
        this.coro = coro;
        this.deadline = deadline;
        this.timebomb = timebomb;
    }

    @Override
    public String toString() {
        return (timebomb ? "timebomb" : "sleep") + "(coro #" + (coro == null ? "?" : String.valueOf(coro.id())) + ", deadline " + deadline + " ns)";
    }
}
