package dev.coro.tck.scheduler;

import dev.coro.Coro;
import dev.coro.CoroTimeoutException;
import dev.coro.ScheduleException;
import dev.coro.Scheduler;
import dev.coro.tck.Rule;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Runs a {@link Program} on a real scheduler (virtual time) and records its {@link Trace}. Coros run
 * one at a time, so plain lists suffice; they are synchronized only for visibility across backends
 * whose coros are threads. Invariant: every op logs exactly one event when it completes normally,
 * in the same words as {@link ReferenceModel}.
 */
final class ProgramRun {
    private static final long MS = 1_000_000L;

    private final Program program;
    private final Scheduler scheduler;
    private final List<Event> events = Collections.synchronizedList(new ArrayList<>());
    private final List<String> shutdown = Collections.synchronizedList(new ArrayList<>());
    private final List<String> uncaught = Collections.synchronizedList(new ArrayList<>());
    private final List<Trace.Violation> violations = Collections.synchronizedList(new ArrayList<>());
    private final Coro<?>[] handles;
    private final Throwable[] failures;
    private final int[] interruptSeq;
    private volatile boolean mainEnded;

    private ProgramRun(Program program, Scheduler.Builder builder) {
        this.program = program;
        this.handles = new Coro<?>[program.coros()];
        this.failures = new Throwable[program.coros()];
        this.interruptSeq = new int[program.coros()];
        this.scheduler = builder.virtualTime().maxBatchesPerPhase(program.maxBatches())
                .uncaughtExceptionHandler((c, t) -> uncaught.add(c.name() + ": " + Outcomes.describe(t)))
                .build();
    }

    /** Runs {@code program} on a scheduler from {@code builder} and returns what happened. */
    static Trace run(Program program, Scheduler.Builder builder) {
        return new ProgramRun(program, builder).run();
    }

    private Trace run() {
        String result;
        try {
            result = "returned " + scheduler.run(() -> body(0));
        } catch (RuntimeException | Error e) {
            result = "threw " + Outcomes.describe(e);
        }
        for (int k = 1; k < handles.length; k++) {
            if (handles[k] != null && !handles[k].isDone()) {
                violations.add(new Trace.Violation(Rule.RULE_8, "c" + k + " is still alive after run() returned"));
            }
        }
        int left = scheduler.stats().liveCoros();
        if (left != 0) {
            violations.add(new Trace.Violation(Rule.RULE_8, left + " coro(s) left alive (abandoned) by the run"));
        }
        scheduler.close();
        List<String> sorted = new ArrayList<>(shutdown);
        Collections.sort(sorted);
        return new Trace(List.copyOf(events), sorted, List.copyOf(uncaught), result, List.copyOf(violations));
    }

    private String body(int me) throws Exception {
        if (me == 0) {
            handles[0] = Coro.current();
        }
        log(me, "start");
        try {
            exec(me, program.script(me));
        } catch (RuntimeException | Error e) {
            failures[me] = e;
            log(me, "end: failed " + Outcomes.describe(e));
            throw e;
        }
        log(me, "end: returned");
        return "r" + me;
    }

    private void exec(int me, List<Op> ops) {
        for (Op op : ops) {
            switch (op) {
                case Op.Spawn s -> {
                    int k = s.child();
                    handles[k] = Coro.spawn("c" + k, () -> body(k));
                    log(me, "spawned c" + k);
                }
                case Op.Yield y -> {
                    Coro.yieldSlice();
                    log(me, "yielded");
                }
                case Op.Sleep s -> {
                    long deadline = Coro.now() + s.ms() * MS;
                    long fired = scheduler.stats().timersFired();
                    Coro.sleep(Duration.ofMillis(s.ms()));
                    checkNotEarly(me, op, deadline, fired);
                    log(me, "slept " + s.ms());
                }
                case Op.SleepUntil s -> {
                    long fired = scheduler.stats().timersFired();
                    Coro.sleepUntil(s.ms() * MS);
                    checkNotEarly(me, op, s.ms() * MS, fired);
                    log(me, "slept until " + s.ms());
                }
                case Op.WithTimeout w -> withTimeout(me, w);
                case Op.Interrupt x -> interrupt(me, x.target());
                case Op.Join j -> join(me, j.target());
                case Op.Throw t -> throw new Outcomes.ProgramFailure(me);
                case Op.Repeat r -> throw new IllegalStateException("Program.of unrolls " + r);
            }
        }
    }

    private void withTimeout(int me, Op.WithTimeout w) {
        log(me, "withTimeout " + w.ms() + " {");
        long deadline = Coro.now() + w.ms() * MS;
        try {
            Coro.withTimeout(Duration.ofMillis(w.ms()), () -> {
                exec(me, w.body());
                return null;
            });
            log(me, "} returned");
        } catch (CoroTimeoutException e) {
            if (Coro.now() != deadline) {
                violations.add(new Trace.Violation(Rule.RULE_5, "c" + me + " " + w + " timed out at "
                        + Coro.now() / MS + " ms, its deadline was " + deadline / MS + " ms"));
            }
            log(me, "} timed out");
        }
    }

    private void interrupt(int me, int k) {
        String value = "v" + me + "." + interruptSeq[me]++;
        Coro<?> target = handles[k];
        if (target == null) {
            log(me, "interrupt c" + k + ": not spawned");
            return;
        }
        try {
            target.interrupt(value);
            log(me, "interrupted c" + k + " with " + value);
        } catch (ScheduleException e) {
            String why = e.getMessage().contains("finished") ? "finished"
                    : e.getMessage().contains("not started") ? "not started" : e.getMessage();
            log(me, "interrupt c" + k + " refused: " + why);
        }
    }

    private void join(int me, int k) {
        Coro<?> target = handles[k];
        if (target == null) {
            log(me, "join c" + k + ": not spawned");
            return;
        }
        try {
            log(me, "joined c" + k + ": " + target.join());
        } catch (RuntimeException e) {
            if (e != failures[k]) {
                throw e; // the joiner's own interrupt, not the target's failure
            }
            log(me, "joined c" + k + ": failed " + Outcomes.describe(e));
        }
    }

    /**
     * Rule 4 seen directly: a sleep that returns normally woke at or after its deadline, and through
     * its timer ({@code timersFired} grew). The second half catches a zero-length sleep that came
     * back without waiting for the timer phase, which has no earlier time to show.
     */
    private void checkNotEarly(int me, Op op, long deadline, long firedBefore) {
        if (Coro.now() < deadline) {
            violations.add(new Trace.Violation(Rule.RULE_4, "c" + me + " " + op + " woke at " + Coro.now() / MS
                    + " ms, before its deadline " + deadline / MS + " ms"));
        } else if (scheduler.stats().timersFired() == firedBefore) {
            violations.add(new Trace.Violation(Rule.RULE_4, "c" + me + " " + op + " came back at " + Coro.now() / MS
                    + " ms without its timer firing (it never waited for its deadline)"));
        }
    }

    private void log(int me, String what) {
        long ms = Coro.now() / MS;
        if (mainEnded) {
            shutdown.add("@" + ms + "ms c" + me + " " + what);
            return;
        }
        events.add(new Event(ms, me, what, scheduler.stats().timerHeapSize()));
        if (me == 0 && what.startsWith("end:")) {
            mainEnded = true;
        }
    }
}
