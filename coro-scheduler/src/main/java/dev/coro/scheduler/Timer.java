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
 *
 * <p>A coro has one sleeper, made at its first sleep and re-armed for each later one (a coro sleeps
 * once at a time, and its sleeper is out of the heap and nowhere else between two sleeps), so
 * {@code yieldSlice} and {@code sleep} allocate nothing. Timebombs are never reused: one is the value
 * of the interrupt it raised, which its {@code withTimeout} frame compares by identity.
 */
final class Timer {
    final CoroImpl<?> coro;
    final boolean timebomb;
    /** Final for a timebomb; a coro's sleeper is reused for its every sleep (see {@link #rearm}). */
    long deadline;
    /** Insertion order among equal deadlines; set by {@link TimerHeap#add}. */
    long seq;
    /** Position in the heap array, or -1 when not in the heap. */
    int index = -1;
    boolean expired;
    /** A timebomb that was held once already (rule 2). */
    boolean held;
    /** A sleeper listed as a yield ({@link Timeouts#yieldSlice}) rather than in the heap, until taken or left. */
    boolean yielding;

    Timer(CoroImpl<?> coro, long deadline, boolean timebomb) {
        this.coro = coro;
        this.deadline = deadline;
        this.timebomb = timebomb;
    }

    /** Makes an expired sleeper (out of the heap) ready for another sleep until {@code deadline}. */
    Timer rearm(long deadline) {
        assert !timebomb && index < 0 && !yielding;
        this.deadline = deadline;
        this.expired = false;
        this.held = false;
        return this;
    }

    @Override
    public String toString() {
        return (timebomb ? "timebomb" : "sleep") + "(coro #" + (coro == null ? "?" : String.valueOf(coro.id())) + ", deadline " + deadline + " ns)";
    }
}
