package dev.coro.tck.sync;

import dev.coro.Coro;
import dev.coro.CoroInterruptedException;
import dev.coro.CoroTimeoutException;
import dev.coro.Scheduler;
import dev.coro.sync.CondVar;
import dev.coro.sync.Fifo;
import dev.coro.sync.InvertedSemaphore;
import dev.coro.sync.Semaphore;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * Random interleavings of wait / wake / timeout / interrupt, run under virtual time and checked step
 * by step against a small model of the primitive (SPEC.md §2, §3 rule 6).
 *
 * <p>A script is a list of steps; the driver coro runs each step's ops back to back, then yields so
 * that every woken coro runs, then compares every waiter's outcome ({@code ok:<value>}, {@code timeout},
 * {@code interrupted}), the number still waiting and the primitive's state with the model. Ops in one
 * step (up to three) race on purpose: a TICK whose deadline equals a waiter's timeout followed by a wake (wake vs
 * timeout at one instant), a wake followed by an interrupt of the waiter it granted (interrupt after
 * the hand-off), an interrupt of the head followed by a wake. The model's rule: at a given instant,
 * waiters whose deadline has come or that were interrupted have left; every grant goes to the
 * earliest waiter still there; a grant whose waiter is interrupted before it ran is handed back when
 * that waiter runs (at the end of the step, so later ops of the same step do not see it yet).
 */
public final class SyncModels {
    private SyncModels() {
    }

    public enum Kind { ARRIVE, SIGNAL, INTERRUPT, TICK }

    /** ARRIVE(timeout ms, 0 = none; amount), SIGNAL(arg), INTERRUPT(index among live waiters), TICK(ms). */
    public record Op(Kind kind, int a, int b) {
        @Override
        public String toString() {
            return kind + "(" + a + (kind == Kind.ARRIVE ? "," + b : "") + ")";
        }
    }

    /** The primitive as the driver sees it. */
    public interface Subject {
        /** In a fresh waiter coro: wait for {@code amount} with an optional timeout; returns what it got. */
        Object await(int amount, Duration timeoutOrNull);

        /** In the driver: the wake/release/push with {@code arg} and a value unique to the op. */
        void signal(int arg, int value);

        int waiting();

        /** The observable state to compare with {@link Model#state()}. */
        String state();
    }

    /** What the subject should do; see the class comment for the shared rule. */
    public abstract static class Model {
        long now;
        final List<Integer> queue = new ArrayList<>();
        final Map<Integer, Integer> amount = new HashMap<>();
        final Map<Integer, Long> deadline = new HashMap<>();
        final Map<Integer, String> outcome = new TreeMap<>();
        /** Granted during the current step, not yet run: id → value. */
        final Map<Integer, Object> pending = new LinkedHashMap<>();

        void arrive(int id, int amt, int timeoutMs) {
            amount.put(id, amt);
            Object now = immediate(amt);
            if (now != NO) {
                outcome.put(id, "ok:" + now);
                return;
            }
            queue.add(id);
            if (timeoutMs > 0) {
                deadline.put(id, this.now + timeoutMs * 1_000_000L);
            }
        }

        /** Applies a signal; false if it is not legal now (then the subject is not asked either). */
        abstract boolean signal(int arg, int value);

        /**
         * Moves the clock on by {@code ms}, instant by instant: the waiters whose deadline comes first
         * leave first, and whoever they were holding back is served before the next deadline.
         */
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
                        outcome.put(id, "timeout");
                        return true;
                    }
                    return false;
                });
                serve();
                settled(); // those served at that instant have run by the next one
            }
            now = target;
        }

        /** The live waiter (queued or granted-pending) at {@code index} mod their number, in arrival order; -1 if none. */
        int interruptTarget(int index) {
            List<Integer> live = new ArrayList<>(queue);
            live.addAll(pending.keySet());
            live.sort(Integer::compare);
            return live.isEmpty() ? -1 : live.get(Math.floorMod(index, live.size()));
        }

        /** Grants handed back when their interrupted waiter runs (at the end of the step), in interrupt order. */
        final List<Map.Entry<Integer, Object>> revokes = new ArrayList<>();

        void interrupt(int id) {
            outcome.put(id, "interrupted");
            if (queue.remove((Integer) id)) {
                serve(); // grants skip a waiter already leaving, so it is as good as gone at once
            } else {
                // Its grant comes back only when it runs: later ops of the step do not see it yet.
                revokes.add(Map.entry(id, pending.remove(id)));
            }
        }

        /** End of step: the interrupted waiters ran (handing back their grants), then the granted ones. */
        void settled() {
            for (Map.Entry<Integer, Object> r : revokes) {
                revoke(r.getKey(), r.getValue());
            }
            revokes.clear();
            pending.forEach((id, v) -> outcome.put(id, "ok:" + v));
            pending.clear();
        }

        /** Grants the head of the queue {@code value}. */
        void grantHead(Object value) {
            int id = queue.removeFirst();
            pending.put(id, value);
        }

        static final Object NO = new Object();

        /** The value of an arrival that needs no wait, or NO. */
        abstract Object immediate(int amt);

        /** Serves whoever the queue's head now is, if the primitive has something for it. */
        void serve() {
        }

        /** A grant whose waiter was interrupted before it ran. */
        abstract void revoke(int id, Object value);

        abstract String state();
    }

    // ---------------------------------------------------------------- the driver

    /**
     * Runs {@code script} against a fresh subject on a scheduler from {@code builder} (which must have
     * virtual time); null if subject and model agreed throughout, else the first disagreement.
     */
    public static String check(Scheduler.Builder builder, Supplier<Subject> subjects, Supplier<Model> models,
                               List<List<Op>> script) {
        Scheduler s = builder.build();
        try {
            return s.run(() -> drive(subjects.get(), models.get(), script));
        } finally {
            s.close();
        }
    }

    private static String drive(Subject subject, Model model, List<List<Op>> script) {
        Map<Integer, Coro<?>> coros = new HashMap<>();
        Map<Integer, String> observed = new TreeMap<>();
        int nextId = 0;
        for (int k = 0; k < script.size(); k++) {
            List<Op> step = script.get(k);
            for (int j = 0; j < step.size(); j++) {
                Op op = step.get(j);
                int value = k * 10 + j; // unique per op, so a wrong order or a wrong recipient shows
                switch (op.kind()) {
                    case ARRIVE -> {
                        int id = nextId++;
                        Duration t = op.a() == 0 ? null : Duration.ofMillis(op.a());
                        model.arrive(id, op.b(), op.a());
                        coros.put(id, Coro.spawn("w" + id, () -> {
                            try {
                                observed.put(id, "ok:" + subject.await(op.b(), t));
                            } catch (CoroTimeoutException e) {
                                observed.put(id, "timeout");
                            } catch (CoroInterruptedException e) {
                                observed.put(id, "interrupted");
                            }
                        }));
                    }
                    case SIGNAL -> {
                        if (model.signal(op.a(), value)) {
                            subject.signal(op.a(), value);
                        }
                    }
                    case INTERRUPT -> {
                        int id = model.interruptTarget(op.a());
                        if (id >= 0) {
                            model.interrupt(id);
                            coros.get(id).interrupt("x");
                        }
                    }
                    case TICK -> {
                        Coro.sleep(Duration.ofMillis(op.a()));
                        model.tick(op.a());
                    }
                }
            }
            Coro.yieldSlice();
            model.settled();
            String diff = compare(model, subject, observed);
            if (diff != null) {
                return "after step " + k + " " + script.get(k) + ": " + diff + "\n  script: " + script;
            }
        }
        return null;
    }

    private static String compare(Model model, Subject subject, Map<Integer, String> observed) {
        if (!model.outcome.equals(observed)) {
            return "outcomes differ: model " + model.outcome + ", observed " + observed;
        }
        if (model.queue.size() != subject.waiting()) {
            return "waiting differs: model " + model.queue + ", subject " + subject.waiting();
        }
        if (!model.state().equals(subject.state())) {
            return "state differs: model " + model.state() + ", subject " + subject.state();
        }
        return null;
    }

    // ---------------------------------------------------------------- scripts

    /** A random script of {@code steps} steps; {@code maxAmount} bounds ARRIVE amounts and SIGNAL args. */
    public static List<List<Op>> randomScript(Random r, int steps, int maxAmount) {
        List<List<Op>> script = new ArrayList<>(steps);
        for (int i = 0; i < steps; i++) {
            int pick = r.nextInt(10);
            if (pick < 4) {
                script.add(List.of(new Op(Kind.ARRIVE, r.nextInt(4) == 0 ? 0 : 1 + r.nextInt(4), 1 + r.nextInt(maxAmount))));
            } else if (pick < 6) {
                List<Op> step = new ArrayList<>();
                step.add(new Op(Kind.TICK, 1 + r.nextInt(3), 0));
                if (r.nextBoolean()) {
                    step.add(racer(r, maxAmount));
                }
                script.add(step);
            } else {
                List<Op> step = new ArrayList<>();
                int racers = 1 + r.nextInt(3);
                for (int j = 0; j < racers; j++) {
                    step.add(racer(r, maxAmount));
                }
                script.add(step);
            }
        }
        return script;
    }

    private static Op racer(Random r, int maxAmount) {
        return r.nextInt(3) == 0 ? new Op(Kind.INTERRUPT, r.nextInt(4), 0) : new Op(Kind.SIGNAL, 1 + r.nextInt(maxAmount), 0);
    }

    // ---------------------------------------------------------------- models and subjects of the real primitives

    /** CondVar: SIGNAL = wakeOne(value); a woken-then-interrupted waiter passes its wake-up on. */
    public static final class CondVarModel extends Model {
        @Override
        boolean signal(int arg, int value) {
            if (!queue.isEmpty()) {
                grantHead(value);
            }
            return true;
        }

        @Override
        Object immediate(int amt) {
            return NO;
        }

        @Override
        void revoke(int id, Object value) {
            if (!queue.isEmpty()) {
                grantHead(value);
            }
        }

        @Override
        String state() {
            return "";
        }
    }

    public static Subject condVar(CondVar cv) {
        return new Subject() {
            public Object await(int amount, Duration t) {
                return t == null ? cv.await() : cv.await(t);
            }

            public void signal(int arg, int value) {
                cv.wakeOne(value);
            }

            public int waiting() {
                return cv.waiting();
            }

            public String state() {
                return "";
            }
        };
    }

    /**
     * Semaphore starting empty, unbounded ({@code new Semaphore(0)}) or of capacity {@code cap}:
     * ARRIVE(n) = acquire(n), SIGNAL(k) = release(k) (for a bounded one, only when it fits).
     */
    public static final class SemaphoreModel extends Model {
        final long cap;
        int available;

        /** {@code new Semaphore(0)}: every release is taken. */
        public SemaphoreModel() {
            this.cap = Long.MAX_VALUE;
        }

        /** {@code new Semaphore(0, cap)}. */
        public SemaphoreModel(int cap) {
            this.cap = cap;
        }

        @Override
        boolean signal(int k, int value) {
            if ((long) available + k > cap) { // the semaphore refuses it too (more released than acquired)
                return false;
            }
            available += k;
            serve();
            return true;
        }

        @Override
        Object immediate(int n) {
            if (queue.isEmpty() && available >= n) {
                available -= n;
                return "null";
            }
            return NO;
        }

        @Override
        void serve() {
            while (!queue.isEmpty() && amount.get(queue.getFirst()) <= available) {
                available -= amount.get(queue.getFirst());
                grantHead("null");
            }
        }

        @Override
        void revoke(int id, Object value) {
            available += amount.get(id);
            serve();
        }

        @Override
        String state() {
            return "available=" + available;
        }
    }

    public static Subject semaphore(Semaphore s) {
        return new Subject() {
            public Object await(int n, Duration t) {
                if (t == null) {
                    s.acquire(n);
                } else {
                    s.acquire(n, t);
                }
                return "null";
            }

            public void signal(int k, int value) {
                s.release(k);
            }

            public int waiting() {
                return s.waiting();
            }

            public String state() {
                return "available=" + s.available();
            }
        };
    }

    /** Unbounded Fifo: ARRIVE = pop, SIGNAL = push(value); a popper interrupted after the hand-off puts its item back in front. */
    public static final class FifoModel extends Model {
        final ArrayDeque<Object> items = new ArrayDeque<>();

        @Override
        boolean signal(int arg, int value) {
            items.addLast(value);
            serve();
            return true;
        }

        @Override
        Object immediate(int amt) {
            return items.isEmpty() ? NO : items.pollFirst();
        }

        @Override
        void serve() {
            while (!items.isEmpty() && !queue.isEmpty()) {
                grantHead(items.pollFirst());
            }
        }

        @Override
        void revoke(int id, Object value) {
            items.addFirst(value);
            serve();
        }

        @Override
        String state() {
            return "items=" + items;
        }
    }

    public static Subject fifo(Fifo<Integer> f) {
        return new Subject() {
            public Object await(int amount, Duration t) {
                return t == null ? f.pop() : f.pop(t);
            }

            public void signal(int arg, int value) {
                f.push(value);
            }

            public int waiting() {
                return f.waitingPoppers();
            }

            public String state() {
                List<Integer> xs = new ArrayList<>();
                Integer x;
                while ((x = f.poll()) != null) {
                    xs.add(x);
                }
                for (Integer i : xs) {
                    f.push(i);
                }
                return "items=" + xs;
            }
        };
    }

    /** InvertedSemaphore from 1: SIGNAL(1) = release when above zero, SIGNAL(2+) = acquire; ARRIVE = awaitZero. */
    public static final class InvertedModel extends Model {
        long value = 1;

        @Override
        boolean signal(int arg, int v) {
            if (arg >= 2) {
                value++;
                return true;
            }
            if (value == 0) {
                return false;
            }
            if (--value == 0) {
                while (!queue.isEmpty()) {
                    grantHead("null");
                }
            }
            return true;
        }

        @Override
        Object immediate(int amt) {
            return value == 0 ? "null" : NO;
        }

        @Override
        void revoke(int id, Object v) {
        }

        @Override
        String state() {
            return "value=" + value;
        }
    }

    public static Subject inverted(InvertedSemaphore s) {
        return new Subject() {
            public Object await(int amount, Duration t) {
                if (t == null) {
                    s.awaitZero();
                } else {
                    s.awaitZero(t);
                }
                return "null";
            }

            public void signal(int arg, int v) {
                if (arg >= 2) {
                    s.acquire();
                } else {
                    s.release();
                }
            }

            public int waiting() {
                return s.waiting();
            }

            public String state() {
                return "value=" + s.value();
            }
        };
    }
}
