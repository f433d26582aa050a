package dev.coro.scheduler;

import dev.coro.Coro;
import dev.coro.CoroExecutionException;
import dev.coro.CoroInterruptedException;
import dev.coro.CoroShutdownException;
import dev.coro.ScheduleException;
import dev.coro.spi.CoroEngine;
import dev.coro.spi.Coroutine;

import java.time.Duration;
import java.util.ArrayList;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;

/**
 * One coro of an {@link EventLoop}.
 *
 * <p>Lifecycle ({@link #state}): NEW (spawned, never resumed) → RUNNING while resumed →
 * SUSPENDED (in a wait of ours) or BLOCKED (inside a JDK call, loom only) → RUNNING … →
 * DONE. {@link #scheduled} is orthogonal: a NEW, SUSPENDED or BLOCKED coro may sit in the run
 * queue. A coro is resumed only by the run phase; what a SUSPENDED one finds on resumption is
 * {@link #resumeValue} or {@link #resumeException}, set by whoever scheduled it. All fields are
 * touched on the scheduler thread only (for loom: on virtual threads carried by it).
 *
 * <p><b>Interrupts of a coro inside a JDK call</b> — {@link #state} BLOCKED, {@link #pendingInterrupt}
 * and the thread's interrupt flag, whose transitions are these and no others (all in CoroStates):
 * <ol>
 * <li>resume reports BLOCKED: state BLOCKED, not scheduled. The JDK's wake-up (through the inbox)
 *     schedules it; it stays BLOCKED until resumed, because it resumes inside the JDK call, not at
 *     a suspension point of ours, so no value or resumeException can reach it.
 * <li>deliverInterrupt while BLOCKED (scheduled or not): {@code pendingInterrupt = e},
 *     {@link #jdkInterrupted} set, and the backend interrupts the JDK call (loom: Thread.interrupt).
 * <li>The coro leaves the interrupted wait at the first of: its next suspension point of ours
 *     (CoroStates.suspend throws the pending interrupt); an {@code InterruptedException} reaching a
 *     {@code withTimeout} frame or the end of the body (turned into the pending interrupt, so rules 5
 *     and 6 hold: only the owning frame times out); the {@code withTimeout} frame whose timebomb is
 *     pending ending. Each takes the interrupt through {@code CoroStates.takePendingInterrupt}, which
 *     also clears the thread's interrupt flag if we set it, so no later JDK call fails spuriously.
 * </ol>
 */
final class CoroImpl<T> implements Coro<T>, Runnable {
    static final int NEW = 0, RUNNING = 1, SUSPENDED = 2, BLOCKED = 3, DONE = 4;
    private static final String[] STATE_NAMES = {"NEW", "RUNNING", "SUSPENDED", "BLOCKED", "DONE"};

    final EventLoop loop;
    private final long id;
    /** The name spawn was given, or null: an unnamed coro's name is made from its id when asked ({@link #name()}). */
    private final String name;
    /**
     * What the coro runs: a {@code Callable<T>}, or the user's {@code Runnable} itself (unwrapped from
     * {@link CoroEngine.RunnableBody}: one object and one frame less per coro) when {@link #bodyIsRunnable}.
     */
    private final Object body;
    private final boolean bodyIsRunnable;
    /** Failures go to the uncaught handler (not for main, nor for submit tasks, whose callers get them). */
    final boolean reportUncaught;
    final CompletableFuture<T> future;
    Coroutine coroutine;

    byte state = NEW;
    boolean scheduled;
    /** Set as the backend first enters {@link #run()}: it is entered once. */
    private boolean began;
    /** The run queue's ticket of its scheduling (see {@link RunQueue}); wraps around, compared by difference. */
    int ticket;
    Object resumeValue;
    RuntimeException resumeException;
    /** Its sleeper timer, reused for each sleep and yield (made at the first). */
    Timer sleeper;
    /** Its wait record for the poller, reused for each socket or OS-event wait (made at the first). */
    IoWait pollerWait;
    /** dev.coro.sync's wait record of this coro, reused for each wait on a primitive (see CoroContext.syncWaiter). */
    Object syncWaiter;
    /** Rule 9: socket operations that completed without blocking, since the last yield (at most {@link #MAX_SELFISH_ACTS}). */
    static final int MAX_SELFISH_ACTS = 4;
    byte selfishActs;
    /**
     * Rule 9 for a listening socket: accepts that completed without blocking, since the last yield; an
     * acceptor yields after {@link #MAX_SELFISH_ACCEPTS} in a row (a backlog is better drained in
     * bursts: a connection left in an overflowing one costs its client a SYN retry of a second or more).
     */
    static final int MAX_SELFISH_ACCEPTS = 16;
    byte selfishAccepts;
    /** An interrupt for a BLOCKED coro, raised at its next suspension point (see the class comment). */
    CoroInterruptedException pendingInterrupt;
    /** The backend was asked to interrupt this coro's JDK call for {@link #pendingInterrupt}. */
    boolean jdkInterrupted;

    /**
     * What it waits on while suspended, for the dump only (see {@link LoopDump#waitOf}): an object the
     * wait already has (its sleeper Timer, its IoWait, the joined coro, a WaitSubject, the awaited
     * future, a blocking call's task), stored as it suspends and cleared as it resumes, so that a
     * wait costs two field stores and no allocation.
     */
    Object waitingOn;
    /** The loop's clock ({@code EventLoop.now}) when it last suspended or blocked, and when it was spawned. */
    long waitSince, spawnedAt;

    /** Values of CoroLocals (dev.coro.sync), made on first use and dropped when the coro ends. */
    java.util.IdentityHashMap<Object, Object> locals;

    private T result;
    private Throwable failure;
    private ArrayList<CoroImpl<?>> joiners;

    /** Links of the loop's live list. */
    CoroImpl<?> prevLive, nextLive;

    CoroImpl(EventLoop loop, long id, String name, Callable<T> body, boolean reportUncaught,
             CompletableFuture<T> future) {
        this.loop = loop;
        this.id = id;
        this.name = name;
        this.bodyIsRunnable = body instanceof CoroEngine.RunnableBody;
        this.body = bodyIsRunnable ? ((CoroEngine.RunnableBody) body).body() : body;
        this.reportUncaught = reportUncaught;
        this.future = future;
    }

    /**
     * The switch backend's body (a coro is its own, so that it costs no extra object and frame): runs
     * the user's body, then hands the outcome to the loop. Never throws, except to a caller that is not
     * the backend starting this coro.
     */
    @Override
    @SuppressWarnings("unchecked")
    public void run() {
        if (began || loop.current != this) {
            throw new IllegalStateException("run() of " + this + " is its switch backend's entry point, not an API");
        }
        began = true;
        loop.engine.bindToCurrentThread();
        try {
            if (bodyIsRunnable) {
                ((Runnable) body).run();
            } else {
                result = ((Callable<T>) body).call();
            }
        } catch (Throwable t) {
            failure = t;
            if (t instanceof InterruptedException && pendingInterrupt != null) {
                // An interrupt of ours surfaced through a JDK call and out of the body: report it as itself.
                CoroInterruptedException ours = loop.states.takePendingInterrupt(this);
                ours.addSuppressed(t);
                failure = ours;
            }
        } finally {
            loop.states.finished(this);
        }
    }

    /** Ends a coro that never ran (shutdown before start). */
    void cancel(CoroShutdownException why) {
        failure = why;
    }

    Throwable failure() {
        return failure;
    }

    T result() {
        return result;
    }

    /** What the profiler counts this coro under: its name, or for an unnamed coro its spawn site (the body's class). */
    Object profileKey() {
        return name != null ? name : body.getClass();
    }

    String stateName() {
        return STATE_NAMES[state];
    }

    void addJoiner(CoroImpl<?> c) {
        if (joiners == null) {
            joiners = new ArrayList<>(2);
        }
        joiners.add(c);
    }

    void removeJoiner(CoroImpl<?> c) {
        if (joiners != null) {
            joiners.remove(c);
        }
    }

    /** Joiners to wake now that this coro is done; clears the list. */
    ArrayList<CoroImpl<?>> takeJoiners() {
        ArrayList<CoroImpl<?>> j = joiners;
        joiners = null;
        return j;
    }

    /** The result, or the failure rethrown (checked ones wrapped). */
    T outcome() {
        if (failure != null) {
            if (failure instanceof RuntimeException r) {
                throw r;
            }
            if (failure instanceof Error e) {
                throw e;
            }
            throw new CoroExecutionException("coro #" + id + " '" + name() + "' failed: " + failure, failure);
        }
        return result;
    }

    /** The calling coro; the message naming {@code verb} and this coro is built only when the call fails. */
    private CoroImpl<?> caller(String verb) {
        CoroImpl<?> me = loop.engine.callerOrNull();
        return me != null ? me : loop.engine.callerFor(verb + " coro #" + id + " '" + name() + "'");
    }

    @Override
    public long id() {
        return id;
    }

    /** The name spawn was given; null for an unnamed coro (the backend then asks {@code SwitchHost.nameOf} when it needs one). */
    String givenName() {
        return name;
    }

    @Override
    public String name() {
        return name != null ? name : "coro-" + id;
    }

    @Override
    public boolean isDone() {
        return state == DONE;
    }

    @Override
    public T join() {
        if (state == DONE) {
            return outcome();
        }
        CoroImpl<?> me = caller("join");
        if (me == this) {
            throw new ScheduleException("coro #" + id + " '" + name() + "' cannot join itself (it would wait for ever)");
        }
        addJoiner(me);
        try {
            while (state != DONE) {
                loop.states.suspend(me, this);
            }
        } finally {
            removeJoiner(me);
        }
        return outcome();
    }

    @Override
    public T join(Duration timeout) {
        long nanos = Durations.nonNegativeNanos(timeout, "join timeout");
        if (state == DONE) {
            return outcome();
        }
        caller("join");
        return loop.engine.withTimeout(nanos, this::join,
                () -> "coro #" + id + " '" + name() + "' still alive after " + timeout);
    }

    @Override
    public void interrupt(Object value) {
        CoroImpl<?> me = caller("interrupt");
        if (state == DONE) {
            throw new ScheduleException("cannot interrupt coro #" + id + " '" + name() + "': it has finished");
        }
        if (me == this) {
            throw new ScheduleException("coro #" + id + " '" + name() + "' cannot interrupt itself: throw instead");
        }
        if (state == NEW) {
            throw new ScheduleException("cannot interrupt coro #" + id + " '" + name()
                    + "': it has not started yet (use shutdown() to cancel it)");
        }
        loop.states.deliverInterrupt(this, new CoroInterruptedException(value));
    }

    @Override
    public void shutdown() {
        CoroImpl<?> me = caller("shut down");
        if (state == DONE) {
            return;
        }
        if (me == this) {
            throw new CoroShutdownException("coro #" + id + " '" + name() + "' shut itself down");
        }
        String why = "shutdown() called by coro #" + me.id + " '" + me.name() + "'";
        if (state == NEW) {
            loop.states.cancel(this, new CoroShutdownException(why));
        } else {
            loop.states.deliverInterrupt(this, new CoroShutdownException(why));
        }
    }

    @Override
    public String toString() {
        return "coro #" + id + " '" + name() + "' " + stateName() + (scheduled ? " scheduled" : "");
    }
}
