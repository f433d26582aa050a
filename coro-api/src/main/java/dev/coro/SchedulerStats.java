package dev.coro;

/**
 * A snapshot of a scheduler's counters (SPEC.md §5). Counters are totals since the scheduler was
 * built; read from another thread they are approximate.
 *
 * @param switches       coro resumes (each a round trip scheduler → coro → scheduler)
 * @param passes         run passes (swaps of staging and pending)
 * @param timersFired    timers popped from the timer heap (sleepers woken and timebombs fired)
 * @param ioEvents       readiness events and cross-thread wake-ups taken in
 * @param liveCoros      coros spawned and not yet finished
 * @param runQueueLength coros scheduled to run now
 * @param timerHeapSize  timers waiting in the heap
 * @param pollWaitNanos  time spent waiting in the poller
 * @param waits          coros waiting on something outside the scheduler: a registration in the
 *                       poller (a socket, an OS event) or a future from another thread (JDK-served
 *                       OS events and {@code Coro.await} among them)
 */
public record SchedulerStats(long switches, long passes, long timersFired, long ioEvents,
                             int liveCoros, int runQueueLength, int timerHeapSize, long pollWaitNanos,
                             int waits) {
}
