package dev.coro.tck.poll;

/**
 * The poller rules of SPEC.md §4 (SPEC.md#poller, and §7's "no fd left") and the sentences of the
 * Poller SPI javadoc that {@link PollerVerification} checks, one method each.
 */
public interface PollerRules {

    /** A registration reports readiness once, then is gone; a new registration reports again; poll returns how many it handed. */
    void pollOnce_readinessFiresOncePerRegistration(PollScript script);

    /**
     * Under random register READ/WRITE (both on one channel) / cancel (also of one already reported) /
     * write / close (behind the poller's back, or announced by its owner) / wake-up / poll steps no readiness is lost, none comes after a cancel or without
     * its op, and registrations() is right after every step.
     */
    void pollNoneLost_randomInterleavingsLoseNoReadiness(PollScript script);

    /** The same over hundreds of steps on one poller (thousands in a deep run). */
    void pollNoneLost_longScriptsOnOnePollerLoseNoReadiness(PollScript script);

    /** Hundreds of channels ready at once (READ, then READ and WRITE), three rounds: each reported once. */
    void pollNoneLost_hundredsOfChannelsReadyAtOnceAreAllReported();

    /**
     * A registered channel closed behind the poller's back is reported {@code CLOSED} by the next
     * poll, even a blocking one and even when another channel's owner announced its own close
     * ({@code closedByOwner}) in the same interval.
     */
    void pollNoneLost_aChannelClosedBehindThePollersBackIsReportedClosed();

    /** poll(t) with nothing ready waits t (1 ms grain) and at most the stated bound more; poll(0) does not wait. */
    void pollTimeout_aTimedPollWithNothingReadyWaitsItsTimeout();

    /** poll(-1) returns only for readiness or a wake-up (never with nothing: an idle loop must not spin). */
    void pollTimeout_aPollWithoutTimeoutWaitsForReadinessOrAWakeup();

    /** wakeup() from another thread returns a poll blocked without a timeout (or the next one). */
    void pollWakeup_wakeupFromAnotherThreadReturnsABlockedPoll();

    /** wakeup() before a poll (same thread, no race) makes that poll return promptly, and only that one. */
    void pollWakeup_aWakeupBeforeThePollReturnsThatPollPromptlyAndOnlyThatOne();

    /**
     * An {@code interest(channel)} is armed once per wait: reported once, armed again only after its
     * cancel (before that, an IllegalStateException), cancel idempotent and ending only its arming,
     * and counted in registrations() while armed.
     */
    void pollOnce_anInterestIsArmedOncePerWaitAndItsCancelEndsOnlyItsArming();

    /** close() cancels what is left, is idempotent, and leaves no fd open. */
    void pollClose_closeCancelsWhatIsLeftAndLeavesNoFd();

    /** close() after registrations, cancels, every kind of poll and wake-ups (one left pending) leaves no fd or thread. */
    void pollClose_closeAfterEveryFeatureWasUsedLeavesNoFdOrThread();
}
