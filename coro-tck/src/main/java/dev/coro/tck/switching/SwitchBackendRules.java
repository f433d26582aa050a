package dev.coro.tck.switching;

/**
 * The switch-backend rules of SPEC.md §4 (SPEC.md#switch-backend) and the sentences of the
 * {@code dev.coro.spi} javadoc that {@link SwitchBackendVerification} checks, one method each.
 */
public interface SwitchBackendRules {

    /**
     * create gives a suspended coroutine that has not run; resume runs exactly the coroutine asked,
     * until it suspends or ends, and says which; values cross both ways; a body's failure comes out of
     * resume as the same object, marked done; a done coroutine cannot be resumed (IllegalStateException,
     * nothing runs); interruptBlocked of a coroutine that is not BLOCKED changes nothing.
     */
    void switch_valuesAndFailuresCrossTheSwitchInAnyResumeOrder(SwitchScript script);

    /** A coroutine 1,000 frames deep suspends and resumes with every frame's locals intact. */
    void switch_deepStacksSurviveRoundTrips(int depth, int suspendEvery);

    /** 100,000 coroutines (or the backend's declared maxLiveCoroutines()) suspended at once, each resumed to its end. */
    void switch_hundredThousandCoroutinesSuspendedAtOnce();

    /** Two backends open at once are independent: closing one leaves the other's coroutines running. */
    void switch_backendsOpenAtOnceAreIndependent();

    /** The provider's name is its backends' name; describe() is one line; unavailableReason() is empty here; the limit is positive. */
    void switch_providerAndBackendDescribeThemselves();

    /**
     * After any order of resumes, every coroutine's attachment() is what create got, name() its name,
     * isDone() true exactly once it ended, and stackTrace() shows where it is suspended now (not
     * where it was), from the scheduler thread or another, and its live frames while it runs.
     */
    void switchState_attachmentAndStackTraceStayRightAcrossResumesInAnyOrder(StateScript script);

    /** A suspended coroutine's stack trace shows the method it waits in (for dumps and latency reports). */
    void switchState_stackTraceOfASuspendedCoroutineShowsWhereItWaits();

    /**
     * name() is the name create was given, or for a coroutine created without one (null, as the
     * scheduler does for unnamed coros) the host's {@code nameOf(attachment)}.
     */
    void switchState_anUnnamedCoroutineIsNamedByItsHost();

    /** A suspend inside a class initializer fails with CoroPinnedException (no switch), never a hang. */
    void pinned_suspendInAClassInitializerIsReportedNotHung();

    /** Every suspend while pinned throws CoroPinnedException (not just the first), in several coroutines of one backend. */
    void pinned_everySuspendWhilePinnedThrowsInEveryCoroutine();

    /**
     * close() after every feature was used (suspended, done, failed, never-started and pinned
     * coroutines, stack traces from two threads, a body blocked in a JDK call) leaves no thread and no
     * fd, counted by identity, and a second close() is harmless.
     */
    void switchClose_closeReleasesEveryThreadAndFdAfterEveryFeatureWasUsed();
}
