package dev.coro.scheduler;

/**
 * A coro's wait for something outside the run (the poller, a future); what is reported after the
 * wait ended is ignored ({@link #active} is false by then).
 *
 * <p>A coro's waits on the poller reuse one (its {@code pollerWait}): it waits once at a time, and a
 * poller never reports a registration after its cancel, which ends every such wait before the next
 * begins. A wait for a future gets a fresh one, since the future's completion may reach the loop long
 * after the wait ended.
 */
final class IoWait {
    final CoroImpl<?> coro;
    boolean active = true;
    /** For the dump: what a poller wait is for (a WaitSubject socket, an OsEvent) and its poller ops. */
    Object subject;
    int ops;

    IoWait(CoroImpl<?> coro) {
        this.coro = coro;
    }

    /** {@code me}'s reusable poller wait, made active. */
    static IoWait forPoller(CoroImpl<?> me) {
        IoWait w = me.pollerWait;
        if (w == null) {
            return me.pollerWait = new IoWait(me);
        }
        w.active = true;
        return w;
    }
}
