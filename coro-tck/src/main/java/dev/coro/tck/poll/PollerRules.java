package dev.coro.tck.poll;

/** The poller rules of DESIGN.md §4 (and §7's "no fd left") that {@link PollerVerification} checks, one method each. */
public interface PollerRules {

    /** A registration reports readiness once, then is gone; a new registration reports again. */
    void pollOnce_readinessFiresOncePerRegistration(PollScript script) throws Exception;

    /** Under random register / cancel / write / wake-up / poll steps no readiness is lost, none comes after a cancel. */
    void pollNoneLost_randomInterleavingsLoseNoReadiness(PollScript script) throws Exception;

    /**
     * A registered channel closed behind the poller's back is reported {@code CLOSED} by the next
     * poll, even a blocking one and even when another channel's owner announced its own close
     * ({@code closedByOwner}) in the same interval.
     */
    void pollNoneLost_aChannelClosedBehindThePollersBackIsReportedClosed() throws Exception;

    /** wakeup() from another thread returns a poll blocked without a timeout (or the next one). */
    void pollWakeup_wakeupFromAnotherThreadReturnsABlockedPoll();

    /** close() cancels what is left, is idempotent, and leaves no fd open. */
    void pollClose_closeCancelsWhatIsLeftAndLeavesNoFd() throws Exception;
}
