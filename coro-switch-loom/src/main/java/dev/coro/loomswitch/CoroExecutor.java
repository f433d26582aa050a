package dev.coro.loomswitch;

import java.util.concurrent.Executor;

/**
 * The scheduler of one coroutine's virtual thread. One per coroutine, so that {@link #execute}
 * knows whose continuation task it got without a lookup. It runs nothing: it hands the task to
 * {@link LoomCoroutine#offer}, a lock-free store plus, when needed, a wake-up of our scheduler.
 * It never rejects and never drops: a rejected or dropped task would strand the virtual thread.
 */
final class CoroExecutor implements Executor {

    private final LoomCoroutine coroutine;

    CoroExecutor(LoomCoroutine coroutine) {
        this.coroutine = coroutine;
    }

    /**
     * Called by the JDK whenever the virtual thread becomes runnable: on start, after Thread.yield,
     * unpark, monitor unblock, timed-park expiry or a stack-trace probe of an unmounted thread. The
     * caller may be the scheduler thread (re-entrantly, inside a resume), a JDK thread
     * (VirtualThread-unparker, VirtualThread-unblocker, an I/O poller) or any other thread.
     */
    @Override
    public void execute(Runnable task) {
        coroutine.offer(task);
    }

    @Override
    public String toString() {
        return "CoroExecutor[" + coroutine.name() + "]";
    }
}
