package dev.coro.scheduler;

import dev.coro.Profiler;
import dev.coro.spi.CoroEngine;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A scheduler's {@link Profiler}: per coro name (per body class for unnamed coros), resumes and the
 * time between each resume and the switch back.
 *
 * <p>Two sides. Any thread asks: {@link #start}/{@link #stop} only write {@link #wanted} and bump
 * {@link #starts} (volatile), never the counts. The loop thread applies: once per run phase
 * {@link #applyRequests} compares what is wanted with {@link #active} and starts (clearing the
 * counts) or stops; then, for that phase, the run phase times each resume only if {@code active}
 * (one branch per resume when off). Invariants: the table, {@code active} and the time fields are
 * touched by the loop thread of the current run only; {@link #published} is an immutable report the
 * loop leaves at each stop and at the end of each run, which is what other threads read between
 * runs (a report asked during a run goes through the loop's inbox).
 */
final class LoopProfiler implements Profiler {
    private static final Comparator<Entry> BUSIEST_FIRST =
            Comparator.comparingLong(Entry::nanos).reversed().thenComparing(Entry::name);

    private final CoroScheduler owner;

    private volatile boolean wanted;
    /** Incremented by each start(), so that a start while running starts over. */
    private volatile int starts;
    private volatile Report published = Report.EMPTY;

    // ---- loop thread only
    /** Whether this run phase times resumes (read by EventLoop.runPhase once per phase). */
    boolean active;
    private int appliedStarts;
    private final HashMap<Object, Counts> table = new HashMap<>();
    private long elapsedNanos;
    private long activeSince;

    LoopProfiler(CoroScheduler owner) {
        this.owner = owner;
    }

    /** The counts of one key; mutable, loop thread only. */
    private static final class Counts {
        final String name;
        long resumes, nanos, maxNanos;

        Counts(String name) {
            this.name = name;
        }
    }

    // ---------------------------------------------------------------- any thread

    @Override
    public void start() {
        starts++; // a lost increment from a racing start still starts over: either one does
        wanted = true;
        owner.wakeLoop();
    }

    @Override
    public void stop() {
        wanted = false;
        owner.wakeLoop();
    }

    @Override
    public boolean isRunning() {
        return wanted;
    }

    @Override
    public Report report() {
        EventLoop l = owner.runningLoop();
        if (l == null) {
            Report p = published; // what the last run left; a stop since then shows
            return p.running() && !wanted ? new Report(false, p.elapsedNanos(), p.entries()) : p;
        }
        if (CoroEngine.boundOrNull() == l.engine) {
            return reportOnLoop();
        }
        CompletableFuture<Report> f = owner.callOnLoop(l, loop -> reportOnLoop());
        try {
            return f.get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return published;
        } catch (ExecutionException | TimeoutException e) {
            return published; // the loop did not answer (blocked): the last report it left
        }
    }

    // ---------------------------------------------------------------- loop thread

    /** Applies a start or stop asked since the last call; returns whether this phase is profiled. */
    boolean applyRequests() {
        boolean w = wanted;
        int s = starts;
        if (w == active && (!w || s == appliedStarts)) {
            return active;
        }
        long t = System.nanoTime();
        if (w) {
            if (s != appliedStarts) { // a new profile
                table.clear();
                elapsedNanos = 0;
                appliedStarts = s;
                activeSince = t;
            } else if (!active) { // on again in a new run
                activeSince = t;
            }
            active = true;
        } else {
            elapsedNanos += t - activeSince;
            active = false;
            published = build(t);
        }
        return active;
    }

    /** Charges one resume of {@code c} that took {@code nanos}. */
    void charge(CoroImpl<?> c, long nanos) {
        Object key = c.profileKey();
        Counts k = table.get(key);
        if (k == null) {
            k = new Counts(label(key));
            table.put(key, k);
        }
        k.resumes++;
        k.nanos += nanos;
        if (nanos > k.maxNanos) {
            k.maxNanos = nanos;
        }
    }

    /** At the end of a run, on its thread: the clock stops until the next run, and the report is left for readers. */
    void runEnded() {
        long t = System.nanoTime();
        if (active) {
            elapsedNanos += t - activeSince;
            activeSince = t;
        }
        published = build(t);
        active = false; // the next run's first phase turns it on again if still wanted
    }

    Report reportOnLoop() {
        applyRequests();
        return build(System.nanoTime());
    }

    private Report build(long t) {
        List<Entry> entries = new ArrayList<>(table.size());
        for (Counts k : table.values()) {
            entries.add(new Entry(k.name, k.resumes, k.nanos, k.maxNanos));
        }
        entries.sort(BUSIEST_FIRST);
        return new Report(active, elapsedNanos + (active ? t - activeSince : 0), entries);
    }

    private static String label(Object key) {
        if (key instanceof String name) {
            return name;
        }
        String cls = ((Class<?>) key).getName();
        int hidden = cls.indexOf('/'); // a lambda's hidden class: "Outer$$Lambda/0x…"
        return "(unnamed) " + (hidden >= 0 ? cls.substring(0, hidden) : cls);
    }
}
