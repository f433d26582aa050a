package dev.coro.tck.scheduler;

/**
 * The rules of SPEC.md §3 that {@link SchedulerVerification} checks against its reference model,
 * one method each (the Reactive Streams TCK's layout). Each is a jqwik property over random
 * programs of spawn, yieldSlice, sleep, sleepUntil, withTimeout (nested to depth 3), interrupt,
 * join and throw, run under virtual time.
 */
public interface SchedulerRules {

    /** Rule 1: spawn appends to pending and returns; the caller keeps running; coros start in spawn order. */
    void rule1_spawnedCorosStartInSpawnOrderAfterTheSpawnerWaits(Program program);

    /** Rule 2: passes resume coros in the order they were scheduled (FIFO); joiners wake in join order; the batch cap. */
    void rule2_passesRunCorosInScheduleOrder(Program program);

    /** Rule 3: a yielder runs again only after the next timer phase, behind everything scheduled in its run phase. */
    void rule3_yieldSliceComesBackOnlyAfterTheTimerPhase(Program program);

    /** Rule 4: never before the deadline; equal deadlines in call order. */
    void rule4_sleepersWakeAtTheirDeadlineAndTiesInCallOrder(Program program);

    /** Rule 5: value or CoroTimeoutException from the owning frame only; held timebombs; no timer left. */
    void rule5_timeoutsNestedToDepthThreeMatchTheModel(Program program);

    /** Rule 6: interrupts raise at the suspension point; a scheduled target is moved; no wake-up lost. */
    void rule6_interruptsRaiseAtTheSuspensionPointAndLeaveWaitQueues(Program program);

    /** Rule 7: a throwing coro reaches the handler and its joiners; the others go on. */
    void rule7_failuresReachHandlerAndJoinersOnly(Program program);

    /** Rule 8: run returns with main; every coro still alive is shut down; none is left. */
    void rule8_runEndsWithMainAndShutsDownTheRest(Program program);

    /** Rule 10: the virtual clock moves only when nothing is runnable, straight to the next deadline. */
    void rule10_virtualClockJumpsOnlyWhenIdle(Program program);

    /** All of §3 at once: every operation mixed; a failure names the rule its first difference points at. */
    void section3_everyOperationMixedMatchesTheReferenceModel(Program program);

    /** All of §3 over long-running programs: loops of 20–300 yields/sleeps, so that one coro suspends hundreds of times. */
    void section3_longRunningProgramsMatchTheReferenceModel(Program program);
}
