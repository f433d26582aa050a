package dev.coro.tck.sync;

import dev.coro.Coro;
import dev.coro.CoroInterruptedException;
import dev.coro.CoroTimeoutException;
import dev.coro.Scheduler;
import dev.coro.sync.CondVar;
import dev.coro.sync.Fifo;
import dev.coro.sync.Mutex;
import dev.coro.sync.RwLock;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * Random interleavings of acquire / release / re-entry / timeout / interrupt for the primitives whose
 * waiters go on to hold something (Mutex, RwLock) and for the bounded Fifo (waiting pushers and
 * poppers), run under virtual time and checked step by step against a small model, as {@link SyncModels}
 * does for the wait/wake primitives (SPEC.md §2, §3 rule 6).
 *
 * <p>Every ARRIVE spawns an actor coro that acquires (lock / read / write, or pop / push for the fifo)
 * with an optional timeout. A lock held by an actor can only be released or re-entered by that actor,
 * so a step's ops are run in order by a baton: the driver runs them until one must be done by a holder,
 * then hands that holder the rest of the step (waking it) and stops; everything already scheduled runs
 * before the holder does, which the model mirrors by letting the grants made so far run first. So
 * "release, then interrupt the waiter it was handed to" races exactly as written. For the fifo the
 * driver does RELEASE (= poll) and REENTER (= offer) itself. FOREIGN is an unlock by the driver, which
 * never holds the lock: it must fail with {@code IllegalStateException} and change nothing.
 *
 * <p>The model's rule is the one of {@link SyncModels}: at an instant, waiters whose deadline came or
 * that were interrupted have left; grants go to the earliest waiter still there (as the primitive's
 * policy allows); a grant whose waiter is interrupted before it ran is handed back when that waiter
 * runs; granted waiters run in the order they were granted.
 */
public final class LockModels {
    private LockModels() {
    }

    public enum Kind { ARRIVE, TICK, RELEASE, REENTER, INTERRUPT, FOREIGN }

    /** ARRIVE mode of a Mutex. */
    public static final int LOCK = 1;
    /** ARRIVE modes of an RwLock. */
    public static final int READ = 1, WRITE = 2;
    /** ARRIVE modes of a bounded Fifo. */
    public static final int POP = 1, PUSH = 2;

    /**
     * ARRIVE(timeout ms, 0 = none; mode), TICK(ms), RELEASE(holder index), REENTER(holder index),
     * INTERRUPT(index among live waiters), FOREIGN(which unlock).
     */
    public record Op(Kind kind, int a, int b) {
        @Override
        public String toString() {
            return kind + "(" + a + (kind == Kind.ARRIVE ? "," + b : "") + ")";
        }
    }

    /** The primitive as the driver and the actors see it. */
    public interface Subject {
        /** In a fresh actor coro: acquire in {@code mode}; returns what it got ("" for a lock or a push). */
        Object acquire(int mode, Duration timeoutOrNull, int value);

        /** In the holder (the driver for a fifo: poll): give up one hold of {@code mode}; null or a result. */
        Object release(int mode);

        /** In the holder (the driver for a fifo: offer {@code value}): take one more hold of {@code mode}. */
        Object reenter(int mode, int value);

        /** In the driver, which holds nothing: an unlock that must throw (locks only). */
        default void foreignUnlock(int which) {
            throw new UnsupportedOperationException();
        }

        int waiting();

        /** The observable state, naming coros by {@code ids}, to compare with {@link Model#state()}. */
        String state(Map<Coro<?>, Integer> ids);
    }

    /** What the subject should do. */
    public abstract static class Model {
        static final Object NO = new Object();
        long now;
        final List<Integer> queue = new ArrayList<>();
        final Map<Integer, Integer> mode = new HashMap<>();
        final Map<Integer, Integer> value = new HashMap<>();
        final Map<Integer, Long> deadline = new HashMap<>();
        final Map<String, String> outcome = new TreeMap<>();
        /** Granted, not run yet: id → grant, in grant order. */
        final LinkedHashMap<Integer, Object> pending = new LinkedHashMap<>();
        /** Pending ones interrupted before they ran. */
        final Set<Integer> interrupted = new HashSet<>();
        /** Actors whose acquire returned: they run and can be told to release. */
        final Set<Integer> running = new HashSet<>();

        /** True if RELEASE and REENTER are done by the driver (no holders). */
        boolean driverSide() {
            return false;
        }

        void arrive(int id, int m, int timeoutMs, int v) {
            mode.put(id, m);
            value.put(id, v);
            Object got = immediate(id, m, v);
            if (got != NO) {
                outcome.put("w" + id, "ok:" + got);
                running.add(id);
                return;
            }
            queue.add(id);
            if (timeoutMs > 0) {
                deadline.put(id, now + timeoutMs * 1_000_000L);
            }
        }

        /** What an arrival gets without a wait (taking it), or NO. */
        abstract Object immediate(int id, int m, int v);

        /** Serves the queue's head(s) if the primitive now can. */
        abstract void serve();

        /** A grant whose waiter was interrupted before it ran. */
        abstract void revoke(int id, Object grant);

        /** A granted waiter runs. */
        void ran(int id, Object grant) {
        }

        void grant(int id, Object g) {
            queue.remove((Integer) id);
            pending.put(id, g);
        }

        /** The ids holding something now (granted or running). */
        List<Integer> holders() {
            return List.of();
        }

        /** The running holder at {@code index} mod their number, in arrival order; -1 if none. */
        int holderAt(int index) {
            List<Integer> h = new ArrayList<>(holders());
            h.removeIf(id -> !running.contains(id));
            h.sort(Integer::compare);
            return h.isEmpty() ? -1 : h.get(Math.floorMod(index, h.size()));
        }

        int holdMode(int id) {
            return LOCK;
        }

        /** RELEASE by {@code id} (-1: the driver); the expected result, or null if none is recorded. */
        abstract String release(int id);

        /** REENTER by {@code id} (-1: the driver); the expected result, or null. */
        abstract String reenter(int id, int v);

        /** FOREIGN: the expected outcome. */
        String foreign(int which) {
            return "error:IllegalStateException";
        }

        /** The live waiter (queued, or granted and not interrupted yet) at {@code index} mod their number; -1 if none. */
        int interruptTarget(int index) {
            List<Integer> live = new ArrayList<>(queue);
            for (int id : pending.keySet()) {
                if (!interrupted.contains(id)) {
                    live.add(id);
                }
            }
            live.sort(Integer::compare);
            return live.isEmpty() ? -1 : live.get(Math.floorMod(index, live.size()));
        }

        void interrupt(int id) {
            outcome.put("w" + id, "interrupted");
            if (queue.remove((Integer) id)) {
                serve(); // grants skip a waiter already leaving
            } else {
                interrupted.add(id); // its grant comes back when it runs
            }
        }

        /**
         * The granted waiters run, in grant order: the interrupted ones hand their grant back, the others
         * take it. {@code all}: until nothing is pending (end of step); else only those granted so far
         * (they run before a holder woken now).
         */
        void settle(boolean all) {
            do {
                for (int id : new ArrayList<>(pending.keySet())) {
                    Object g = pending.remove(id);
                    if (interrupted.remove(id)) {
                        revoke(id, g);
                    } else {
                        outcome.put("w" + id, "ok:" + g);
                        running.add(id);
                        ran(id, g);
                    }
                }
            } while (all && !pending.isEmpty());
        }

        /** Moves the clock on instant by instant: who times out leaves, then whoever it held back is served. */
        void tick(int ms) {
            long target = now + ms * 1_000_000L;
            while (true) {
                long next = Long.MAX_VALUE;
                for (int id : queue) {
                    Long d = deadline.get(id);
                    if (d != null && d <= target && d < next) {
                        next = d;
                    }
                }
                if (next == Long.MAX_VALUE) {
                    break;
                }
                long at = next;
                now = at;
                queue.removeIf(id -> {
                    Long d = deadline.get(id);
                    if (d != null && d <= at) {
                        outcome.put("w" + id, "timeout");
                        return true;
                    }
                    return false;
                });
                serve();
                settle(true);
            }
            now = target;
        }

        abstract String state();
    }

    // ---------------------------------------------------------------- the driver

    /** Runs {@code script}; null if subject and model agreed throughout, else the first disagreement. */
    public static String check(Scheduler.Builder builder, Supplier<Subject> subjects, Supplier<Model> models,
                               List<List<Op>> script) {
        Scheduler s = builder.build();
        try {
            return s.run(() -> new Run(subjects.get(), models.get()).drive(script));
        } finally {
            s.close();
        }
    }

    private static final class Run {
        final Subject subject;
        final Model model;
        final Map<Integer, Actor> actors = new HashMap<>();
        final Map<Coro<?>, Integer> ids = new IdentityHashMap<>();
        final Map<String, String> observed = new TreeMap<>();
        int nextId;
        boolean stepDone;

        Run(Subject subject, Model model) {
            this.subject = subject;
            this.model = model;
        }

        final class Actor {
            final int id;
            final CondVar baton = new CondVar();
            Coro<?> coro;
            List<Op> step;
            int k, from;

            Actor(int id) {
                this.id = id;
            }
        }

        String drive(List<List<Op>> script) {
            for (int k = 0; k < script.size(); k++) {
                stepDone = false;
                exec(k, script.get(k), 0, null);
                for (int spins = 0; !stepDone; spins++) {
                    if (spins > 50) {
                        return "after step " + k + " " + script.get(k) + ": the step never finished (a holder is stuck)"
                                + "\n  script: " + script;
                    }
                    Coro.yieldSlice();
                }
                Coro.yieldSlice();
                model.settle(true);
                String diff = compare();
                if (diff != null) {
                    return "after step " + k + " " + script.get(k) + ": " + diff + "\n  script: " + script;
                }
            }
            return null;
        }

        /** Runs ops {@code from}.. of step {@code k} in {@code self} (null: the driver), or hands them on. */
        void exec(int k, List<Op> step, int from, Actor self) {
            for (int j = from; j < step.size(); j++) {
                Op op = step.get(j);
                String key = "s" + k + "." + j;
                int value = k * 10 + j; // unique per op, so a wrong order or a wrong recipient shows
                switch (op.kind()) {
                    case ARRIVE -> {
                        int id = nextId++;
                        Duration t = op.a() == 0 ? null : Duration.ofMillis(op.a());
                        model.arrive(id, op.b(), op.a(), value);
                        Actor a = new Actor(id);
                        actors.put(id, a);
                        a.coro = Coro.spawn("w" + id, () -> actor(a, op.b(), t, value));
                        ids.put(a.coro, id);
                    }
                    case TICK -> {
                        Coro.sleep(Duration.ofMillis(op.a()));
                        model.tick(op.a());
                    }
                    case INTERRUPT -> {
                        int id = model.interruptTarget(op.a());
                        if (id >= 0) {
                            model.interrupt(id);
                            actors.get(id).coro.interrupt("x");
                        }
                    }
                    case FOREIGN -> {
                        model.outcome.put(key, model.foreign(op.a()));
                        try {
                            subject.foreignUnlock(op.a());
                            observed.put(key, "no error");
                        } catch (RuntimeException e) {
                            observed.put(key, "error:" + e.getClass().getSimpleName());
                        }
                    }
                    case RELEASE, REENTER -> {
                        boolean release = op.kind() == Kind.RELEASE;
                        int target = -1;
                        int m = 0;
                        if (!model.driverSide()) {
                            target = self != null && j == from ? self.id : model.holderAt(op.a());
                            if (target < 0) {
                                continue;
                            }
                            Actor a = actors.get(target);
                            if (a != self) { // only the holder may: hand it the rest of the step
                                model.settle(false); // what is scheduled now runs before it
                                a.step = step;
                                a.k = k;
                                a.from = j;
                                a.baton.wakeOne();
                                return;
                            }
                            m = model.holdMode(target);
                        }
                        String want = release ? model.release(target) : model.reenter(target, value);
                        if (want != null) {
                            model.outcome.put(key, want);
                        }
                        try {
                            Object got = release ? subject.release(m) : subject.reenter(m, value);
                            if (got != null || model.driverSide()) {
                                observed.put(key, String.valueOf(got));
                            }
                        } catch (RuntimeException e) {
                            observed.put(key, "error:" + e.getClass().getSimpleName() + ": " + e.getMessage());
                        }
                    }
                }
            }
            stepDone = true;
        }

        void actor(Actor a, int mode, Duration t, int value) {
            try {
                observed.put("w" + a.id, "ok:" + subject.acquire(mode, t, value));
            } catch (CoroTimeoutException e) {
                observed.put("w" + a.id, "timeout");
                return;
            } catch (CoroInterruptedException e) {
                observed.put("w" + a.id, "interrupted");
                return;
            }
            if (model.driverSide()) {
                return;
            }
            while (true) {
                while (a.step == null) {
                    a.baton.await();
                }
                List<Op> step = a.step;
                a.step = null;
                exec(a.k, step, a.from, a);
            }
        }

        String compare() {
            if (!model.outcome.equals(observed)) {
                return "outcomes differ: model " + model.outcome + ", observed " + observed;
            }
            if (model.queue.size() != subject.waiting()) {
                return "waiting differs: model " + model.queue + ", subject " + subject.waiting();
            }
            String state = subject.state(ids);
            if (!model.state().equals(state)) {
                return "state differs: model " + model.state() + ", subject " + state;
            }
            return null;
        }
    }

    // ---------------------------------------------------------------- scripts

    /**
     * A random script of {@code steps} steps: arrivals in modes 1..{@code maxMode}, a tick maybe raced
     * by one op, one to three racing releases / re-entries / interrupts, and (if {@code foreign}) an
     * unlock by a non-holder.
     */
    public static List<List<Op>> randomScript(Random r, int steps, int maxMode, boolean foreign) {
        List<List<Op>> script = new ArrayList<>(steps);
        for (int i = 0; i < steps; i++) {
            int pick = r.nextInt(11);
            if (pick < 4) {
                script.add(List.of(new Op(Kind.ARRIVE, r.nextInt(4) == 0 ? 0 : 1 + r.nextInt(4), 1 + r.nextInt(maxMode))));
            } else if (pick < 6) {
                List<Op> step = new ArrayList<>();
                step.add(new Op(Kind.TICK, 1 + r.nextInt(3), 0));
                if (r.nextBoolean()) {
                    step.add(racer(r));
                }
                script.add(step);
            } else if (pick == 10 && foreign) {
                script.add(List.of(new Op(Kind.FOREIGN, r.nextInt(2), 0)));
            } else {
                List<Op> step = new ArrayList<>();
                int racers = 1 + r.nextInt(3);
                for (int j = 0; j < racers; j++) {
                    step.add(racer(r));
                }
                script.add(step);
            }
        }
        return script;
    }

    private static Op racer(Random r) {
        int p = r.nextInt(6);
        return p < 3 ? new Op(Kind.RELEASE, r.nextInt(4), 0)
                : p < 4 ? new Op(Kind.REENTER, r.nextInt(4), 0)
                : new Op(Kind.INTERRUPT, r.nextInt(4), 0);
    }

    // ---------------------------------------------------------------- Mutex

    /** Mutex: one owner with a hold count; the final unlock hands it to the first waiter still there. */
    public static final class MutexModel extends Model {
        int owner = -1;
        int holds;

        @Override
        Object immediate(int id, int m, int v) {
            if (owner < 0) {
                owner = id;
                holds = 1;
                return "";
            }
            return NO;
        }

        @Override
        void serve() {
            if (owner < 0 && !queue.isEmpty()) {
                owner = queue.getFirst();
                holds = 1;
                grant(owner, "");
            }
        }

        @Override
        void revoke(int id, Object g) {
            owner = -1;
            holds = 0;
            serve();
        }

        @Override
        List<Integer> holders() {
            return owner < 0 ? List.of() : List.of(owner);
        }

        @Override
        String release(int id) {
            if (--holds == 0) {
                owner = -1;
                serve();
            }
            return null;
        }

        @Override
        String reenter(int id, int v) {
            holds++;
            return null;
        }

        @Override
        String state() {
            return owner < 0 ? "free" : "owner=w" + owner + " x" + holds;
        }
    }

    public static Subject mutex(Mutex mx) {
        return new Subject() {
            public Object acquire(int mode, Duration t, int value) {
                if (t == null) {
                    mx.lock();
                } else {
                    mx.lock(t);
                }
                return "";
            }

            public Object release(int mode) {
                mx.unlock();
                return null;
            }

            public Object reenter(int mode, int value) {
                mx.lock();
                return null;
            }

            public void foreignUnlock(int which) {
                mx.unlock();
            }

            public int waiting() {
                return mx.waiting();
            }

            public String state(Map<Coro<?>, Integer> ids) {
                return mx.heldBy() == null ? (mx.holdCount() == 0 ? "free" : "free x" + mx.holdCount())
                        : "owner=w" + ids.get(mx.heldBy()) + " x" + mx.holdCount();
            }
        };
    }

    // ---------------------------------------------------------------- RwLock

    /**
     * RwLock: one FIFO queue; a reader enters at once only if no writer holds it and nobody waits (or it
     * already reads); the head is served when it can be: a writer once it is free, else the run of
     * readers up to the next writer.
     */
    public static final class RwLockModel extends Model {
        int writer = -1;
        int writeHolds;
        final TreeMap<Integer, Integer> readers = new TreeMap<>();

        @Override
        Object immediate(int id, int m, int v) {
            if (m == READ && writer < 0 && queue.isEmpty()) {
                readers.put(id, 1);
                return "";
            }
            if (m == WRITE && writer < 0 && readers.isEmpty() && queue.isEmpty()) {
                writer = id;
                writeHolds = 1;
                return "";
            }
            return NO;
        }

        @Override
        void serve() {
            while (!queue.isEmpty() && writer < 0) {
                int h = queue.getFirst();
                if (mode.get(h) == WRITE) {
                    if (!readers.isEmpty()) {
                        return;
                    }
                    writer = h;
                    writeHolds = 1;
                    grant(h, "");
                    return;
                }
                readers.put(h, 1);
                grant(h, "");
            }
        }

        @Override
        void revoke(int id, Object g) {
            if (mode.get(id) == WRITE) {
                writer = -1;
                writeHolds = 0;
            } else {
                dropRead(id);
            }
            serve();
        }

        private void dropRead(int id) {
            if (readers.merge(id, -1, Integer::sum) == 0) {
                readers.remove(id);
            }
        }

        @Override
        List<Integer> holders() {
            List<Integer> h = new ArrayList<>(readers.keySet());
            if (writer >= 0) {
                h.add(writer);
            }
            return h;
        }

        @Override
        int holdMode(int id) {
            return id == writer ? WRITE : READ;
        }

        @Override
        String release(int id) {
            if (id == writer) {
                if (--writeHolds == 0) {
                    writer = -1;
                    serve();
                }
            } else {
                dropRead(id);
                serve();
            }
            return null;
        }

        @Override
        String reenter(int id, int v) {
            if (id == writer) {
                writeHolds++;
            } else {
                readers.merge(id, 1, Integer::sum); // even past waiting writers
            }
            return null;
        }

        @Override
        String state() {
            return "writeLocked=" + (writer >= 0) + " readers=" + readers.size();
        }
    }

    public static Subject rwLock(RwLock l) {
        return new Subject() {
            public Object acquire(int mode, Duration t, int value) {
                if (mode == WRITE) {
                    if (t == null) {
                        l.writeLock();
                    } else {
                        l.writeLock(t);
                    }
                } else if (t == null) {
                    l.readLock();
                } else {
                    l.readLock(t);
                }
                return "";
            }

            public Object release(int mode) {
                if (mode == WRITE) {
                    l.writeUnlock();
                } else {
                    l.readUnlock();
                }
                return null;
            }

            public Object reenter(int mode, int value) {
                if (mode == WRITE) {
                    l.writeLock();
                } else {
                    l.readLock();
                }
                return null;
            }

            public void foreignUnlock(int which) {
                if (which == 0) {
                    l.readUnlock();
                } else {
                    l.writeUnlock();
                }
            }

            public int waiting() {
                return l.waiting();
            }

            public String state(Map<Coro<?>, Integer> ids) {
                return "writeLocked=" + l.isWriteLocked() + " readers=" + l.readers();
            }
        };
    }

    // ---------------------------------------------------------------- bounded Fifo

    /**
     * Bounded Fifo of {@code capacity}: ARRIVE(POP) = pop, ARRIVE(PUSH) = push(value), RELEASE = poll
     * and REENTER = offer(value) by the driver. A push with room and nobody ahead adds at once; a pop
     * (or poll) that frees a slot admits the first waiting pusher, whose slot is reserved until it runs
     * and adds its item; interrupted before that, it gives the slot back (its push failed, its item is
     * not in). An item handed to a popper interrupted before it ran goes back to the front.
     */
    public static final class BoundedFifoModel extends Model {
        final int capacity;
        final ArrayDeque<Object> items = new ArrayDeque<>();
        int handed, reserved;

        public BoundedFifoModel(int capacity) {
            this.capacity = capacity;
        }

        @Override
        boolean driverSide() {
            return true;
        }

        private boolean hasRoom() {
            return items.size() + handed + reserved < capacity;
        }

        private int first(int m) {
            for (int id : queue) {
                if (mode.get(id) == m) {
                    return id;
                }
            }
            return -1;
        }

        private boolean mayAdd() {
            return first(PUSH) < 0 && reserved == 0 && hasRoom();
        }

        @Override
        Object immediate(int id, int m, int v) {
            if (m == POP) {
                if (items.isEmpty()) {
                    return NO;
                }
                Object x = items.pollFirst();
                serve();
                return x;
            }
            if (!mayAdd()) {
                return NO;
            }
            items.addLast(v);
            serve();
            return "";
        }

        @Override
        void serve() {
            while (true) {
                int p;
                while (!items.isEmpty() && (p = first(POP)) >= 0) {
                    grant(p, items.pollFirst());
                    handed++;
                }
                p = first(PUSH);
                if (p < 0 || !hasRoom()) {
                    return;
                }
                grant(p, "");
                reserved++;
            }
        }

        @Override
        void ran(int id, Object g) {
            if (mode.get(id) == POP) {
                handed--;
            } else {
                reserved--;
                items.addLast(value.get(id));
            }
            serve();
        }

        @Override
        void revoke(int id, Object g) {
            if (mode.get(id) == POP) {
                handed--;
                items.addFirst(g);
            } else {
                reserved--;
            }
            serve();
        }

        @Override
        String release(int id) {
            Object x = items.pollFirst();
            if (x != null) {
                serve();
            }
            return String.valueOf(x);
        }

        @Override
        String reenter(int id, int v) {
            if (!mayAdd()) {
                return "false";
            }
            items.addLast(v);
            serve();
            return "true";
        }

        @Override
        String state() {
            int poppers = 0;
            for (int id : queue) {
                if (mode.get(id) == POP) {
                    poppers++;
                }
            }
            return "size=" + items.size() + " poppers=" + poppers + " pushers=" + (queue.size() - poppers);
        }
    }

    public static Subject boundedFifo(Fifo<Integer> f) {
        return new Subject() {
            public Object acquire(int mode, Duration t, int value) {
                if (mode == POP) {
                    return t == null ? f.pop() : f.pop(t);
                }
                if (t == null) {
                    f.push(value);
                } else {
                    f.push(value, t);
                }
                return "";
            }

            public Object release(int mode) {
                return f.poll();
            }

            public Object reenter(int mode, int value) {
                return f.offer(value);
            }

            public int waiting() {
                return f.waitingPoppers() + f.waitingPushers();
            }

            public String state(Map<Coro<?>, Integer> ids) {
                return "size=" + f.size() + " poppers=" + f.waitingPoppers() + " pushers=" + f.waitingPushers();
            }
        };
    }
}
