package dev.coro;

/**
 * A snapshot of a scheduler's counters (SPEC.md §5). Counters are totals since the scheduler was
 * built; read from another thread they are approximate.
 *
 * <p>The loop's own breakdown (how its time divides between running coros and waiting in poll, how
 * many of each phase ran, the largest batch) is the nested {@link Phases}: grouped there so that the
 * headline counters stay as they were, and so that what the loop learns to count later joins that
 * record rather than this one. Code that built a {@code SchedulerStats} of nine counters (a test
 * double, say) still compiles and links: that constructor stays, with {@link Phases#NONE}.
 *
 * @param switches       coro resumes (each a round trip scheduler → coro → scheduler)
 * @param passes         run passes (swaps of staging and pending): the batches of rule 2
 * @param timersFired    timers popped from the timer heap (sleepers woken and timebombs fired)
 * @param ioEvents       readiness events and cross-thread wake-ups taken in
 * @param liveCoros      coros spawned and not yet finished
 * @param runQueueLength coros scheduled to run now
 * @param timerHeapSize  timers waiting in the heap
 * @param pollWaitNanos  time spent waiting in the poller (polls that may wait; a poll that may not
 *                       wait is not timed)
 * @param waits          coros waiting on something outside the scheduler: a registration in the
 *                       poller (a socket, an OS event) or a future from another thread (JDK-served
 *                       OS events and {@code Coro.await} among them)
 * @param phases         the loop's phases: counts, the largest batch and the time spent running
 */
public record SchedulerStats(long switches, long passes, long timersFired, long ioEvents,
                             int liveCoros, int runQueueLength, int timerHeapSize, long pollWaitNanos,
                             int waits, Phases phases) {

    /** Null {@code phases} is {@link Phases#NONE}. */
    public SchedulerStats {
        if (phases == null) {
            phases = Phases.NONE;
        }
    }

    /** The nine counters of earlier versions; {@link #phases} is {@link Phases#NONE}. */
    public SchedulerStats(long switches, long passes, long timersFired, long ioEvents, int liveCoros,
                          int runQueueLength, int timerHeapSize, long pollWaitNanos, int waits) {
        this(switches, passes, timersFired, ioEvents, liveCoros, runQueueLength, timerHeapSize, pollWaitNanos,
                waits, Phases.NONE);
    }

    /**
     * The loop's phases (SPEC.md §3 rule 2: each iteration fires due timers, runs passes, then polls).
     * Each counter costs one increment where its phase already branches; {@link #runNanos} costs one
     * clock read per run phase that resumed anything, never one per switch.
     *
     * @param iterations       loop iterations
     * @param timerPhases      timer phases that fired at least one timer
     * @param runPhases        run phases that resumed at least one coro
     * @param cutShortPhases   run phases ended by {@code maxBatchesPerPhase} with coros still pending
     *                         (rule 3): many of them mean the coros keep the loop busy on their own
     * @param largestBatch     the most coros one run pass (batch) resumed
     * @param polls            calls into the poller (an iteration with nothing to wait for and nothing
     *                         registered skips the call)
     * @param runNanos         time in run phases, from the top of their iteration (its timer phase
     *                         included) to the end of the phase: the loop's busy time, to set against
     *                         {@link SchedulerStats#pollWaitNanos()}
     */
    public record Phases(long iterations, long timerPhases, long runPhases, long cutShortPhases,
                         int largestBatch, long polls, long runNanos) {
        /** All zero: no run yet, or a stats object built without phases. */
        public static final Phases NONE = new Phases(0, 0, 0, 0, 0, 0, 0);
    }
}
