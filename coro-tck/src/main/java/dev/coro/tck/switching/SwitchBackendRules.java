package dev.coro.tck.switching;

/** The switch-backend rules of DESIGN.md §4 that {@link SwitchBackendVerification} checks, one method each. */
public interface SwitchBackendRules {

    /** resume runs exactly the coroutine asked, until it suspends or ends; values cross both ways; a body's failure comes out of resume. */
    void switch_valuesAndFailuresCrossTheSwitchInAnyResumeOrder(SwitchScript script);

    /** A coroutine 1,000 frames deep suspends and resumes with every frame's locals intact. */
    void switch_deepStacksSurviveRoundTrips(int depth, int suspendEvery);

    /** 100,000 coroutines suspended at once, each resumed to its end. */
    void switch_hundredThousandCoroutinesSuspendedAtOnce();

    /** A suspended coroutine's stack trace shows the method it waits in (for dumps and latency reports). */
    void switch_stackTraceOfASuspendedCoroutineShowsWhereItWaits();

    /** A suspend inside a class initializer fails with CoroPinnedException (no switch), never a hang. */
    void pinned_suspendInAClassInitializerIsReportedNotHung();
}
