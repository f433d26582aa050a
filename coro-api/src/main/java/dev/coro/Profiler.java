package dev.coro;

import java.util.List;
import java.util.Locale;

/**
 * A scheduler's profiler [shrapnel: {@code coro.profiler}]: for each coro name it counts how many
 * times coros of that name were resumed and how long they ran before switching back (the time
 * between the scheduler's resume and the coro's suspend, on the scheduler thread: a coro's CPU time,
 * plus any time it blocked the thread in a JDK call). Coros spawned without a name are counted per
 * spawn site instead, by the class of their body (a lambda's class is its call site).
 *
 * <p>Off by default. Off, it costs the loop one predictable branch per resume: no clock read, no
 * allocation. On, two clock reads and a hash lookup per resume (an allocation only for a name seen
 * for the first time).
 *
 * <p>Thread-safe: {@link #start}, {@link #stop}, {@link #isRunning} and {@link #report} may be
 * called from any thread, a coro of the scheduler included. The loop applies a start or stop at its
 * next run phase; a report asked from another thread while the scheduler runs is made by the loop
 * (through its inbox, as {@link Scheduler#dump()} is), so that it is a consistent snapshot. The
 * counts survive the end of a run: a profile may span several runs, and be read after them.
 */
public interface Profiler {

    /** Starts a new profile: the counts of the previous one are dropped. While running, starts over. */
    void start();

    /** Stops counting; the counts stay for {@link #report()} until the next {@link #start()}. */
    void stop();

    /** Whether the profiler is on, as last asked by {@link #start()} or {@link #stop()}. */
    boolean isRunning();

    /** What has been counted since the last {@link #start()}, busiest name first. */
    Report report();

    /**
     * One profile.
     *
     * @param running      whether the profiler was counting when the report was made
     * @param elapsedNanos wall time the profiler has been on while the scheduler ran
     * @param entries      one per coro name (or spawn site), by {@link Entry#nanos()} descending, then name
     */
    record Report(boolean running, long elapsedNanos, List<Entry> entries) {
        /** An empty report: never started. */
        public static final Report EMPTY = new Report(false, 0, List.of());

        /** {@code entries} is copied. */
        public Report {
            entries = List.copyOf(entries);
        }

        /** Time spent in coros, over all entries. */
        public long totalNanos() {
            long t = 0;
            for (Entry e : entries) {
                t += e.nanos();
            }
            return t;
        }

        /**
         * The report as a text table, busiest first: a header line (time profiled, time in coros),
         * then one line per entry with its total time, its share of the time in coros, resumes, the
         * mean and the longest single run.
         */
        public String table() {
            long total = totalNanos();
            long resumes = 0;
            for (Entry e : entries) {
                resumes += e.resumes();
            }
            StringBuilder sb = new StringBuilder();
            sb.append(String.format(Locale.ROOT, "profile: %.3f s profiled%s, %.3f s in coros, %d resumes, %d name(s)%n",
                    elapsedNanos / 1e9, running ? " (running)" : " (stopped)", total / 1e9, resumes, entries.size()));
            sb.append(String.format(Locale.ROOT, "%12s %7s %12s %10s %10s  %s%n",
                    "total ms", "share", "resumes", "mean us", "max us", "name"));
            for (Entry e : entries) {
                sb.append(String.format(Locale.ROOT, "%12.3f %6.1f%% %12d %10.2f %10.1f  %s%n",
                        e.nanos() / 1e6, total == 0 ? 0.0 : 100.0 * e.nanos() / total, e.resumes(),
                        e.resumes() == 0 ? 0.0 : e.nanos() / 1e3 / e.resumes(), e.maxNanos() / 1e3, e.name()));
            }
            return sb.toString();
        }
    }

    /**
     * The counts of one coro name, or of one spawn site of unnamed coros.
     *
     * @param name     the coro name, or {@code (unnamed) } and the class of the body for unnamed coros
     * @param resumes  how many times such coros were resumed
     * @param nanos    how long they ran in all, between resume and switch back
     * @param maxNanos the longest single run between a resume and the next switch
     */
    record Entry(String name, long resumes, long nanos, long maxNanos) {
    }
}
