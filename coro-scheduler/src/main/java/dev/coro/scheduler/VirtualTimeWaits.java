package dev.coro.scheduler;

/**
 * Under virtual time (SPEC.md rule 10), what the I/O phase decides when nothing is runnable: how long
 * to poll ({@link #pollTimeout}), and, once the poll and the inbox are taken in, whether the clock
 * jumps to the next deadline or the run is deadlocked ({@link #afterPoll}).
 *
 * <p>The clock jumps only when no other thread's work is in flight (coros blocked in JDK calls,
 * {@code Coro.blocking}, {@code Coro.await}), or when such work has kept it waiting for
 * {@link #REAL_TIME_GRACE_NANOS} of real time: that work may itself wait for a coro sleeping on the
 * virtual clock. With no timer, no registration and no such work, only another thread could still
 * wake a coro; after {@link #DEADLOCK_GRACE_NANOS} of real time the run ends with a report instead
 * of hanging. A decision made by {@code pollTimeout} is consumed by the next {@code afterPoll}.
 * Scheduler thread only.
 */
final class VirtualTimeWaits {
    /** How long a loop that only another thread could wake waits before it reports a deadlock. */
    private static final long DEADLOCK_GRACE_NANOS = 1_000_000_000L;

    /** How long the clock waits for real-time work of other threads before it moves on anyway. */
    private static final long REAL_TIME_GRACE_NANOS = 1_000_000_000L;

    private final EventLoop loop;
    /** Since when (System.nanoTime) the loop has waited for real-time work with a timer due. */
    private long realTimeWaitSince;
    private boolean realTimeWaiting;
    /** Set by pollTimeout, taken by afterPoll: the timer the clock jumps to, if nothing became runnable. */
    private Timer jumpTo;
    private boolean deadlockSuspected;

    VirtualTimeWaits(EventLoop loop) {
        this.loop = loop;
    }

    /** The poll timeout (0: do not wait, -1: no limit) when nothing is runnable and the inbox is empty. */
    long pollTimeout() {
        Timer next = loop.timeouts.next();
        boolean realTimeWork = loop.blockedCount > 0 || loop.externalWaits.awaiting > 0;
        if (next != null && (!realTimeWork || next.deadline <= loop.owner.clockNow())) {
            jumpTo = next; // (a timer already due needs no jump: the next timer phase fires it)
            return 0;
        }
        if (next != null) {
            long t = System.nanoTime();
            if (!realTimeWaiting) {
                realTimeWaiting = true;
                realTimeWaitSince = t;
            }
            long timeout = Math.max(0, REAL_TIME_GRACE_NANOS - (t - realTimeWaitSince));
            if (timeout == 0) {
                jumpTo = next;
            }
            return timeout;
        }
        if (loop.poller.registrations() > 0 || realTimeWork) {
            return -1;
        }
        deadlockSuspected = true;
        return DEADLOCK_GRACE_NANOS;
    }

    /** After the poll and the inbox: moves the clock if {@link #pollTimeout} said to; throws on a deadlock. */
    void afterPoll() {
        Timer jump = jumpTo;
        boolean suspected = deadlockSuspected;
        jumpTo = null;
        deadlockSuspected = false;
        if (loop.runQueue.hasPending()) {
            realTimeWaiting = false;
        } else if (jump != null) {
            realTimeWaiting = false;
            loop.owner.advanceVirtualClock(jump.deadline);
        }
        if (suspected && !loop.runQueue.hasPending() && loop.timeouts.isEmpty() && loop.poller.registrations() == 0
                && loop.blockedCount == 0 && loop.externalWaits.awaiting == 0) {
            throw new IllegalStateException("virtual-time deadlock in scheduler '" + loop.owner.config.name()
                    + "': every coro waits and nothing can wake them (no timer, no I/O registration, no coro "
                    + "blocked in a JDK call or awaiting a future, nothing from other threads for "
                    + DEADLOCK_GRACE_NANOS / 1_000_000 + " ms)\n" + loop.dump());
        }
    }
}
