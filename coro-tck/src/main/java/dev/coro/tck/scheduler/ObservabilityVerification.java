package dev.coro.tck.scheduler;

import dev.coro.Coro;
import dev.coro.Profiler;
import dev.coro.Scheduler;
import dev.coro.SchedulerStats;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SPEC.md §5: the loop's phase counters ({@link SchedulerStats.Phases}) and the profiler
 * ({@link Scheduler#profiler()}). Worked examples under virtual time, whose phase counts follow from
 * rule 2 and rule 3 exactly; times are checked only against bounds that follow from what encloses
 * what (a run phase encloses the coros it resumes), never against the clock.
 */
public abstract class ObservabilityVerification extends SchedulerVerificationBase {

    /** Main spawns ten coros that end at once, then yields: two iterations, the second woken by a timer. */
    private static Void tenAtOnce() {
        for (int i = 0; i < 10; i++) {
            Coro.spawn("quick", () -> null);
        }
        Coro.yieldSlice();
        return null;
    }

    @Test
    public void observability_phasesCountIterationsTimerAndRunPhasesAndTheLargestBatch() {
        Scheduler s = virtual();
        runChecked(s, ObservabilityVerification::tenAtOnce);
        SchedulerStats.Phases p = s.stats().phases();
        // Iteration 1: batch [main] spawns ten and yields, batch [ten]; iteration 2: the timer phase
        // wakes main, batch [main] ends the run.
        assertEquals(2, p.iterations(), p.toString());
        assertEquals(1, p.timerPhases(), p.toString());
        assertEquals(2, p.runPhases(), p.toString());
        assertEquals(10, p.largestBatch(), p.toString());
        assertEquals(0, p.cutShortPhases(), p.toString());
        assertEquals(0, p.polls(), "nothing to wait for and nothing registered: no poll: " + p);
        assertEquals(3, s.stats().passes());

        runChecked(s, ObservabilityVerification::tenAtOnce);
        SchedulerStats.Phases twice = s.stats().phases();
        assertEquals(4, twice.iterations(), "phases add up across runs: " + twice);
        assertEquals(4, twice.runPhases(), twice.toString());
        assertEquals(10, twice.largestBatch(), "the largest batch of either run: " + twice);
    }

    @Test
    public void observability_aRunPhaseEndedByMaxBatchesIsCountedAsCutShort() {
        Scheduler s = builder().virtualTime().maxBatchesPerPhase(2).build();
        runChecked(s, () -> {
            chain(5);
            Coro.sleep(ms(1));
            return null;
        });
        // [main] [c1] | cut, c2 pending | [c2] [c3] | cut, c4 pending | [c4] [c5] | not cut: nothing pending.
        assertEquals(2, s.stats().phases().cutShortPhases(), s.stats().phases().toString());
    }

    /** Spawns a chain of {@code n} coros, each spawning the next. */
    private static void chain(int n) {
        if (n > 0) {
            Coro.spawn("link-" + n, () -> chain(n - 1));
        }
    }

    @Test
    public void observability_runTimeEnclosesTheTimeCorosRanAndPollsAreCounted() {
        Scheduler s = builder().build(); // real time: the sleeps below wait in the poller
        long spun = runChecked(s, () -> {
            long ran = Coro.spawn("spinner", ObservabilityVerification::spin).join();
            Coro.sleep(ms(1));
            Coro.sleep(ms(1));
            return ran;
        });
        SchedulerStats st = s.stats();
        assertTrue(st.phases().runNanos() >= spun, "the run phases enclose the spinner's " + spun + " ns: " + st);
        assertTrue(st.phases().polls() >= 2, "each sleep waits in at least one poll: " + st);
        assertTrue(st.pollWaitNanos() > 0, st.toString());
    }

    /** Runs without switching until the clock has moved, and returns for how long (at least 1 ms). */
    private static long spin() {
        long start = System.nanoTime();
        long t;
        do {
            t = System.nanoTime();
        } while (t - start < 1_000_000);
        return t - start;
    }

    /** Main runs three "worker" coros (five resumes each), two unnamed ones from one spawn site (two each) and a spinner. */
    private static long profiledProgram() {
        List<Coro<?>> all = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            all.add(Coro.spawn("worker", () -> {
                for (int k = 0; k < 4; k++) {
                    Coro.yieldSlice();
                }
            }));
        }
        for (int i = 0; i < 2; i++) {
            all.add(Coro.spawn(() -> Coro.yieldSlice()));
        }
        Coro<Long> spinner = Coro.spawn("spinner", ObservabilityVerification::spin);
        for (Coro<?> c : all) {
            c.join();
        }
        return spinner.join();
    }

    private static Profiler.Entry entry(Profiler.Report r, String name) {
        for (Profiler.Entry e : r.entries()) {
            if (e.name().equals(name)) {
                return e;
            }
        }
        return null;
    }

    private static Profiler.Entry unnamedEntry(Profiler.Report r) {
        String site = "(unnamed) " + ObservabilityVerification.class.getName() + "$$Lambda";
        Profiler.Entry found = null;
        for (Profiler.Entry e : r.entries()) {
            if (e.name().startsWith(site)) {
                assertNull(found, "one entry per spawn site: " + r.table());
                found = e;
            }
        }
        return found;
    }

    @Test
    public void observability_theProfilerIsOffByDefaultAndCountsNothing() {
        Scheduler s = virtual();
        runChecked(s, ObservabilityVerification::profiledProgram);
        assertFalse(s.profiler().isRunning());
        Profiler.Report r = s.profiler().report();
        assertEquals(List.of(), r.entries(), r.table());
        assertEquals(0, r.elapsedNanos());
    }

    @Test
    public void observability_theProfilerCountsResumesAndTimePerNameAndPerSpawnSite() {
        Scheduler s = virtual();
        s.profiler().start(); // between runs: applied by the run's first phase
        assertTrue(s.profiler().isRunning());
        long spun = runChecked(s, ObservabilityVerification::profiledProgram);
        Profiler.Report r = s.profiler().report();
        assertTrue(r.running(), r.table());
        Profiler.Entry worker = entry(r, "worker");
        assertNotNull(worker, r.table());
        assertEquals(15, worker.resumes(), "three workers, resumed five times each:\n" + r.table());
        Profiler.Entry unnamed = unnamedEntry(r);
        assertNotNull(unnamed, "unnamed coros are counted by spawn site:\n" + r.table());
        assertEquals(4, unnamed.resumes(), r.table());
        Profiler.Entry spinner = entry(r, "spinner");
        assertEquals(1, spinner.resumes(), r.table());
        assertTrue(spinner.nanos() >= spun && spinner.maxNanos() >= spun,
                "the spinner's one run encloses its " + spun + " ns:\n" + r.table());
        assertTrue(r.elapsedNanos() >= spinner.nanos(), r.table());
        for (int i = 1; i < r.entries().size(); i++) {
            assertTrue(r.entries().get(i - 1).nanos() >= r.entries().get(i).nanos(), "busiest first:\n" + r.table());
        }
        assertTrue(r.table().contains("worker") && r.table().contains("spinner"), r.table());
        s.profiler().stop();
        assertFalse(s.profiler().isRunning());
        assertFalse(s.profiler().report().running());
    }

    @Test
    public void observability_aStopAppliesFromTheNextRunPhaseAndAStartStartsOver() {
        Scheduler s = virtual();
        runChecked(s, () -> {
            Profiler p = s.profiler();
            p.start();
            Coro.yieldSlice(); // the start applies from the next run phase
            Coro.spawn("before", () -> {
                for (int k = 0; k < 4; k++) {
                    Coro.yieldSlice();
                }
            }).join();
            p.stop();
            Coro.yieldSlice();
            Coro.spawn("after", () -> Coro.yieldSlice()).join();
            Profiler.Report r = p.report();
            assertFalse(r.running(), r.table());
            assertEquals(5, entry(r, "before").resumes(), r.table());
            assertNull(entry(r, "after"), "counted after the stop:\n" + r.table());

            p.start();
            Coro.yieldSlice();
            Coro.spawn("again", () -> null).join();
            Profiler.Report again = p.report();
            assertTrue(again.running(), again.table());
            assertNull(entry(again, "before"), "a start drops the last profile:\n" + again.table());
            assertEquals(1, entry(again, "again").resumes(), again.table());
            p.stop();
            return null;
        });
    }

    @Test
    public void observability_aReportAskedFromAnotherThreadIsMadeByTheLoop() throws Exception {
        Scheduler s = virtual();
        s.profiler().start();
        CompletableFuture<Void> waiting = new CompletableFuture<>();
        CompletableFuture<Profiler.Report> asked = new CompletableFuture<>();
        Thread other = Thread.ofPlatform().name("profile-reader").start(() -> {
            try {
                waiting.get(30, TimeUnit.SECONDS);
                asked.complete(s.profiler().report()); // the loop is in run(): through its inbox
            } catch (Throwable t) {
                asked.completeExceptionally(t);
            }
        });
        Profiler.Report r = runChecked(s, () -> {
            Coro.spawn("worker", () -> {
                Coro.yieldSlice();
                Coro.yieldSlice();
            }).join();
            waiting.complete(null);
            return Coro.await(asked);
        });
        other.join(30_000);
        assertTrue(r.running(), r.table());
        assertEquals(3, entry(r, "worker").resumes(), r.table());
        Profiler.Report after = s.profiler().report(); // between runs: what the run left
        assertEquals(3, entry(after, "worker").resumes(), after.table());
        s.profiler().stop();
    }

    @Test
    public void observability_statsKeepTheNineCounterConstructor() {
        SchedulerStats old = new SchedulerStats(1, 2, 3, 4, 5, 6, 7, 8, 9);
        assertEquals(SchedulerStats.Phases.NONE, old.phases());
        assertEquals(old, new SchedulerStats(1, 2, 3, 4, 5, 6, 7, 8, 9, null));
        assertEquals(8, old.pollWaitNanos());
    }
}
