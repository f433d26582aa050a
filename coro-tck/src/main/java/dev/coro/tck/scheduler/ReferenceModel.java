package dev.coro.tck.scheduler;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;

/**
 * SPEC.md §3 as a small deterministic simulation, run on a {@link Program} to give the
 * {@link Trace} a correct scheduler must produce under virtual time. Invariants: one coro runs at a
 * time; a coro is in pending or staging at most once ({@code scheduled}); the timer list is kept in
 * (deadline, insertion) order; the clock moves only when pending is empty, to the first deadline.
 */
final class ReferenceModel {

    private enum State { NEW, SUSPENDED, RUNNING, DONE }

    /** A failure travelling up a model coro's frames: an interrupt (value: a String or a bomb), a throw, a shutdown. */
    private record Raise(Object value, String description) {
    }

    private static final class Timer {
        final long deadline;
        final MCoro coro;
        final boolean bomb;
        long seq;
        boolean expired;
        /** A timebomb held once already (rule 2: the next time it is delivered even if its coro is scheduled). */
        boolean held;

        Timer(long deadline, MCoro coro, boolean bomb) {
            this.deadline = deadline;
            this.coro = coro;
            this.bomb = bomb;
        }
    }

    /** A body being run: a script or a withTimeout body (with its bomb), and the next op's index. */
    private static final class Frame {
        final List<Op> ops;
        final Timer bomb;
        int pc;

        Frame(List<Op> ops, Timer bomb) {
            this.ops = ops;
            this.bomb = bomb;
        }
    }

    private static final class MCoro {
        final int id;
        final Deque<Frame> frames = new ArrayDeque<>();
        final List<MCoro> joiners = new ArrayList<>();
        State state = State.NEW;
        boolean scheduled;
        Raise resumeRaise;
        Timer sleep;          // the timer of the sleep/yield it waits in
        MCoro joining;        // the coro it waits to join
        Raise failure;        // how it ended, if it failed
        int interruptSeq;

        MCoro(int id) {
            this.id = id;
        }
    }

    private final Program program;
    private final MCoro[] coros;
    private final List<MCoro> pending = new ArrayList<>();
    private final List<MCoro> staging = new ArrayList<>();
    private final List<Timer> timers = new ArrayList<>();
    private final List<Event> events = new ArrayList<>();
    private final List<String> uncaught = new ArrayList<>();
    private long now;
    private long nextSeq;
    private MCoro main;

    private ReferenceModel(Program program) {
        this.program = program;
        this.coros = new MCoro[program.coros()];
    }

    /** The trace a correct scheduler gives for {@code program}. */
    static Trace expected(Program program) {
        return new ReferenceModel(program).run();
    }

    private Trace run() {
        main = spawn(0);
        while (main.state != State.DONE) {
            fireTimers();
            runPhase();
            if (main.state == State.DONE) {
                break;
            }
            if (pending.isEmpty()) {
                if (timers.isEmpty()) {
                    throw new IllegalStateException("model: every coro waits with no timer (the program generator "
                            + "should make this impossible)\n" + program);
                }
                now = Math.max(now, timers.getFirst().deadline); // rule 10
            }
        }
        // Rule 8: every other coro still alive is shut down; those that had started unwind and end.
        List<String> shutdown = new ArrayList<>();
        for (MCoro c : coros) {
            if (c != null && c != main && c.state == State.SUSPENDED) {
                shutdown.add("@" + now + "ms c" + c.id + " end: failed shutdown");
            }
        }
        Collections.sort(shutdown);
        String result = main.failure == null ? "returned r0" : "threw " + main.failure.description();
        return new Trace(List.copyOf(events), shutdown, List.copyOf(uncaught), result, List.of());
    }

    // ------------------------------------------------------------ the loop (rule 2)

    private void fireTimers() {
        List<Timer> held = new ArrayList<>();
        while (!timers.isEmpty() && timers.getFirst().deadline <= now) {
            Timer t = timers.removeFirst();
            MCoro c = t.coro;
            if (!t.bomb) {
                t.expired = true;
                if (!c.scheduled && c.state == State.SUSPENDED) {
                    schedule(c);
                }
            } else if (c.state == State.DONE) {
                t.expired = true;
            } else if (c.scheduled && !t.held) {
                t.held = true;
                held.add(t); // rule 2: retried next iteration, once
            } else {
                t.expired = true;
                deliver(c, new Raise(t, "timebomb"));
            }
        }
        held.forEach(this::addTimer); // back in, behind timers of the same deadline
    }

    private void runPhase() {
        for (int batch = 0; batch < program.maxBatches() && !pending.isEmpty(); batch++) {
            staging.addAll(pending);
            pending.clear();
            while (!staging.isEmpty()) {
                MCoro c = staging.removeFirst();
                c.scheduled = false;
                resume(c);
                if (c == main && c.state == State.DONE) {
                    return; // rule 8
                }
            }
        }
    }

    private void schedule(MCoro c) {
        pending.add(c);
        c.scheduled = true;
        c.resumeRaise = null;
    }

    /** Rule 6: raise {@code r} in suspended {@code c}: unscheduled first, then appended to pending. */
    private void deliver(MCoro c, Raise r) {
        pending.remove(c);
        staging.remove(c);
        pending.add(c);
        c.scheduled = true;
        c.resumeRaise = r;
    }

    private void addTimer(Timer t) {
        t.seq = nextSeq++;
        int i = 0;
        while (i < timers.size() && (timers.get(i).deadline < t.deadline
                || (timers.get(i).deadline == t.deadline && timers.get(i).seq < t.seq))) {
            i++;
        }
        timers.add(i, t);
    }

    private void removeTimer(Timer t) {
        if (!t.expired) {
            timers.remove(t);
            t.expired = true;
        }
    }

    // ------------------------------------------------------------ running a coro

    private MCoro spawn(int k) {
        MCoro c = new MCoro(k);
        coros[k] = c;
        c.frames.push(new Frame(program.script(k), null));
        schedule(c); // rule 1
        return c;
    }

    private void resume(MCoro c) {
        Raise raise = c.resumeRaise;
        c.resumeRaise = null;
        if (c.state == State.NEW) {
            c.state = State.RUNNING;
            log(c, "start");
        } else {
            c.state = State.RUNNING;
            Frame f = c.frames.peek();
            Op waitedIn = f.ops.get(f.pc);
            if (c.sleep != null) {
                removeTimer(c.sleep);
                c.sleep = null;
            }
            MCoro target = c.joining;
            if (target != null) {
                target.joiners.remove(c);
                c.joining = null;
            }
            if (raise != null) {
                unwind(c, raise);
            } else {
                f.pc++;
                log(c, switch (waitedIn) {
                    case Op.Yield y -> "yielded";
                    case Op.Sleep s -> "slept " + s.ms();
                    case Op.SleepUntil s -> "slept until " + s.ms();
                    case Op.Join j -> "joined c" + j.target() + ": " + outcome(target);
                    default -> throw new IllegalStateException("model: resumed in " + waitedIn);
                });
            }
        }
        if (c.state == State.RUNNING) {
            exec(c);
        }
    }

    /** Runs {@code c}'s ops until it waits or ends. */
    private void exec(MCoro c) {
        while (c.state == State.RUNNING) {
            Frame f = c.frames.peek();
            if (f.pc == f.ops.size()) {
                c.frames.pop();
                if (f.bomb == null) {
                    finish(c, null);
                } else {
                    removeTimer(f.bomb); // rule 5: the body returned first
                    c.frames.peek().pc++;
                    log(c, "} returned");
                }
                continue;
            }
            Op op = f.ops.get(f.pc);
            switch (op) {
                case Op.Spawn s -> {
                    spawn(s.child());
                    f.pc++;
                    log(c, "spawned c" + s.child());
                }
                case Op.Yield y -> sleepUntil(c, now); // rule 3
                case Op.Sleep s -> sleepUntil(c, now + s.ms());
                case Op.SleepUntil s -> sleepUntil(c, s.ms());
                case Op.WithTimeout w -> {
                    log(c, "withTimeout " + w.ms() + " {");
                    Timer bomb = new Timer(now + w.ms(), c, true);
                    addTimer(bomb);
                    c.frames.push(new Frame(w.body(), bomb));
                }
                case Op.Interrupt x -> {
                    f.pc++;
                    interrupt(c, x.target());
                }
                case Op.Join j -> {
                    MCoro t = coros[j.target()];
                    if (t == null) {
                        f.pc++;
                        log(c, "join c" + j.target() + ": not spawned");
                    } else if (t.state == State.DONE) {
                        f.pc++;
                        log(c, "joined c" + j.target() + ": " + outcome(t));
                    } else {
                        t.joiners.add(c);
                        c.joining = t;
                        c.state = State.SUSPENDED;
                    }
                }
                case Op.Throw t -> unwind(c, new Raise(null, "c" + c.id + " threw"));
                case Op.Repeat r -> throw new IllegalStateException("model: Program.of unrolls " + r);
            }
        }
    }

    private void sleepUntil(MCoro c, long deadline) {
        Timer t = new Timer(deadline, c, false);
        addTimer(t);
        c.sleep = t;
        c.state = State.SUSPENDED;
    }

    private void interrupt(MCoro c, int k) {
        String value = "v" + c.id + "." + c.interruptSeq++;
        MCoro t = coros[k];
        if (t == null) {
            log(c, "interrupt c" + k + ": not spawned");
        } else if (t.state == State.DONE) {
            log(c, "interrupt c" + k + " refused: finished");
        } else if (t.state == State.NEW) {
            log(c, "interrupt c" + k + " refused: not started");
        } else {
            deliver(t, new Raise(value, "interrupted " + value));
            log(c, "interrupted c" + k + " with " + value);
        }
    }

    /** Rule 5: {@code r} leaves frames until the withTimeout whose bomb it is, which turns it into a timeout. */
    private void unwind(MCoro c, Raise r) {
        while (true) {
            Frame f = c.frames.pop();
            if (f.bomb == null) {
                finish(c, r);
                return;
            }
            removeTimer(f.bomb);
            if (r.value() == f.bomb) {
                c.frames.peek().pc++;
                log(c, "} timed out");
                return;
            }
        }
    }

    /** Rule 7: the end of a coro; failures go to the handler (main's to run's caller); joiners wake. */
    private void finish(MCoro c, Raise failure) {
        c.failure = failure;
        log(c, failure == null ? "end: returned" : "end: failed " + failure.description());
        c.state = State.DONE;
        if (failure != null && c != main) {
            uncaught.add("c" + c.id + ": " + failure.description());
        }
        for (MCoro j : c.joiners) {
            if (!j.scheduled && j.state == State.SUSPENDED) {
                schedule(j);
            }
        }
        c.joiners.clear();
    }

    private static String outcome(MCoro c) {
        return c.failure == null ? "r" + c.id : "failed " + c.failure.description();
    }

    private void log(MCoro c, String what) {
        events.add(new Event(now, c.id, what, timers.size()));
    }
}
