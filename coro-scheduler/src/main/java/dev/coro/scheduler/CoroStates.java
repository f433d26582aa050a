package dev.coro.scheduler;

import dev.coro.CoroInterruptedException;
import dev.coro.CoroShutdownException;
import dev.coro.ScheduleException;
import dev.coro.spi.SwitchBackend;

/**
 * The states of a coro (SPEC.md §3) and every move between them that the loop does not make itself
 * as it resumes: scheduling and waking, interrupts, the end of a coro that never started, and the
 * coro's own side of a switch ({@link #suspend}). The loop's side (NEW or SUSPENDED to RUNNING and
 * back, BLOCKED when a loom coro enters a JDK call) is {@code EventLoop.resume}.
 *
 * <p>Invariants: a coro is in the run queue ({@code scheduled}) only while NEW or SUSPENDED (or
 * BLOCKED, once its JDK call has returned), and at most once; it leaves the queue only by being
 * resumed, or by {@link #deliverInterrupt} moving it to the back, or by {@link #cancel}. What a
 * suspension point returns or throws is set with the scheduling ({@code resumeValue},
 * {@code resumeException}) and taken by {@link #suspend} as the coro runs again. Scheduler thread
 * only (a coro it resumed counts).
 */
final class CoroStates {
    private final EventLoop loop;
    private final RunQueue runQueue;
    private final SwitchBackend backend;

    CoroStates(EventLoop loop) {
        this.loop = loop;
        this.runQueue = loop.runQueue;
        this.backend = loop.backend;
    }

    /** Appends {@code c} to pending with {@code value} as what its suspension point returns. */
    void schedule(CoroImpl<?> c, Object value) {
        if (c.state == CoroImpl.DONE) {
            throw new ScheduleException("cannot schedule " + c + ": it has finished");
        }
        if (c.scheduled) {
            throw new ScheduleException("cannot schedule " + c + ": it is already scheduled");
        }
        if (c.state == CoroImpl.RUNNING) {
            throw new ScheduleException("cannot schedule " + c + ": it is running");
        }
        enqueue(c, value, null);
    }

    /** Wakes {@code c} with {@code value} if it is suspended and not yet scheduled. */
    boolean wake(CoroImpl<?> c, Object value) {
        if (c.state != CoroImpl.SUSPENDED || c.scheduled) {
            return false;
        }
        enqueue(c, value, null); // (schedule's checks hold: suspended, not scheduled)
        return true;
    }

    /** Wakes {@code c} so that its suspension point throws {@code e}, if it is suspended and not scheduled. */
    boolean wakeWithException(CoroImpl<?> c, RuntimeException e) {
        if (c.state != CoroImpl.SUSPENDED || c.scheduled) {
            return false;
        }
        enqueue(c, null, e);
        return true;
    }

    /** Appends {@code c}, which may be scheduled, to pending with what its suspension point returns or throws. */
    private void enqueue(CoroImpl<?> c, Object value, RuntimeException e) {
        c.resumeValue = value;
        c.resumeException = e;
        runQueue.add(c);
    }

    /**
     * Raises {@code e} in {@code c} at its suspension point (rule 6): a scheduled coro is unscheduled
     * first; a coro inside a JDK call (BLOCKED, loom) gets it as its pending interrupt (see
     * {@link CoroImpl}) and its JDK call is interrupted.
     *
     * <p>A second interrupt before the target runs replaces the first (last wins, as shrapnel's
     * forced raise), except that a shutdown is never replaced by a plain interrupt: the coro is on
     * its way out either way, and a shutdown must not be lost.
     */
    void deliverInterrupt(CoroImpl<?> c, CoroInterruptedException e) {
        switch (c.state) {
            case CoroImpl.SUSPENDED -> {
                if (c.scheduled && c.resumeException instanceof CoroShutdownException && !(e instanceof CoroShutdownException)) {
                    return;
                }
                runQueue.remove(c);
                runQueue.add(c);
                c.resumeValue = null;
                c.resumeException = e;
            }
            case CoroImpl.BLOCKED -> {
                if (c.pendingInterrupt instanceof CoroShutdownException && !(e instanceof CoroShutdownException)) {
                    return;
                }
                c.pendingInterrupt = e;
                c.jdkInterrupted = true;
                backend.interruptBlocked(c.coroutine);
            }
            case CoroImpl.NEW -> {
                if (e instanceof CoroShutdownException s) {
                    cancel(c, s);
                } else {
                    throw new ScheduleException("cannot interrupt " + c + ": it has not started yet");
                }
            }
            default -> throw new ScheduleException("cannot interrupt " + c + ": it is " + c.stateName());
        }
    }

    /** Ends a coro that never started. */
    void cancel(CoroImpl<?> c, CoroShutdownException why) {
        runQueue.remove(c);
        c.cancel(why);
        finished(c);
    }

    /** Shuts {@code c} down whatever its state (a running coro is left to notice on its own). */
    void endCoro(CoroImpl<?> c, CoroShutdownException why) {
        if (c.state == CoroImpl.NEW) {
            cancel(c, why);
        } else if (c.state != CoroImpl.RUNNING) {
            deliverInterrupt(c, why);
        }
    }

    /** Called once per coro, as it ends (see {@link LiveCoros#finished}). Never throws. */
    void finished(CoroImpl<?> c) {
        loop.live.finished(c, loop.ended);
    }

    /**
     * Switches from {@code me} (the running coro) back to the loop; returns what it was scheduled
     * with, or throws the interrupt it was scheduled with. {@code on} is what it waits on, for the
     * dump ({@link CoroImpl#waitingOn}).
     */
    Object suspend(CoroImpl<?> me, Object on) {
        if (me.pendingInterrupt != null) {
            throw takePendingInterrupt(me);
        }
        if (loop.ended) {
            throw new CoroShutdownException("the scheduler run has ended");
        }
        me.waitingOn = on;
        me.waitSince = loop.now;
        backend.suspend();
        me.waitingOn = null;
        RuntimeException e = me.resumeException;
        Object v = me.resumeValue;
        me.resumeException = null;
        me.resumeValue = null;
        if (e != null) {
            throw e;
        }
        return v;
    }

    /**
     * Takes {@code me}'s pending interrupt (null if none), on {@code me}'s own thread: the coro is
     * leaving the interrupted wait. If the interrupt had interrupted a JDK call, the thread's interrupt
     * flag is cleared too, so that it does not fail a later, unrelated JDK call (see {@link CoroImpl}).
     */
    CoroInterruptedException takePendingInterrupt(CoroImpl<?> me) {
        CoroInterruptedException p = me.pendingInterrupt;
        me.pendingInterrupt = null;
        if (me.jdkInterrupted) {
            me.jdkInterrupted = false;
            Thread.interrupted();
        }
        return p;
    }
}
