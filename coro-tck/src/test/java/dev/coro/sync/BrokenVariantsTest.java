package dev.coro.sync;

import dev.coro.Scheduler;
import dev.coro.tck.sync.SyncModels;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The sync model properties have teeth: each deliberately broken primitive (Broken* in this package)
 * is caught by some of the same random scripts that the real primitive passes. Runs on the kit's own
 * test backend ({@code handoff}); deterministic seeds, so a run is repeatable. Prints caught/tried.
 */
class BrokenVariantsTest {
    private static final int SCRIPTS = 200;

    private static Scheduler.Builder builder() {
        return Scheduler.builder().switcher("handoff").virtualTime();
    }

    /** How many of {@code SCRIPTS} seeded scripts find a disagreement. */
    private static int failures(Supplier<SyncModels.Subject> subject, Supplier<SyncModels.Model> model, int maxAmount,
                                List<String> firstDiff) {
        int failed = 0;
        for (int seed = 0; seed < SCRIPTS; seed++) {
            List<List<SyncModels.Op>> script = SyncModels.randomScript(new Random(seed), 25, maxAmount);
            String diff;
            try {
                diff = SyncModels.check(builder(), subject, model, script);
            } catch (RuntimeException e) { // a subject that refuses a legal call is caught too
                diff = "threw " + e + "\n  script: " + script;
            }
            if (diff != null) {
                if (failed++ == 0) {
                    firstDiff.add(diff);
                }
            }
        }
        return failed;
    }

    private record Variant(String name, Supplier<SyncModels.Subject> subject, Supplier<SyncModels.Model> model,
                           int maxAmount) {
    }

    private static SyncModels.Subject condVar(BrokenCondVars.Base cv) {
        return new SyncModels.Subject() {
            public Object await(int amount, Duration t) {
                return cv.await(t);
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

    private static SyncModels.Subject semaphore(BrokenSemaphores.Base s) {
        return new SyncModels.Subject() {
            public Object await(int n, Duration t) {
                s.acquire(n, t);
                return "null";
            }

            public void signal(int k, int value) {
                s.release(k);
            }

            public int waiting() {
                return s.waiters.size();
            }

            public String state() {
                return "available=" + s.available;
            }
        };
    }

    private static SyncModels.Subject fifo(BrokenFifos.Base f) {
        return new SyncModels.Subject() {
            public Object await(int amount, Duration t) {
                return f.pop(t);
            }

            public void signal(int arg, int value) {
                f.push(value);
            }

            public int waiting() {
                return f.poppers.size();
            }

            public String state() {
                return "items=" + new ArrayList<>(f.items);
            }
        };
    }

    @Test
    void model_theRealPrimitivesPassEveryScript() {
        List<String> diff = new ArrayList<>();
        assertEquals(0, failures(() -> SyncModels.condVar(new CondVar()), SyncModels.CondVarModel::new, 1, diff), diff.toString());
        assertEquals(0, failures(() -> SyncModels.semaphore(new Semaphore(0)), SyncModels.SemaphoreModel::new, 3, diff), diff.toString());
        assertEquals(0, failures(() -> SyncModels.fifo(new Fifo<>()), SyncModels.FifoModel::new, 1, diff), diff.toString());
        assertEquals(0, failures(() -> SyncModels.inverted(new InvertedSemaphore(1)), SyncModels.InvertedModel::new, 3, diff), diff.toString());
    }

    @Test
    void model_everyBrokenVariantIsCaught() {
        List<Variant> variants = List.of(
                new Variant("CondVar that drops the wake-up of a waiter interrupted after the wake",
                        () -> condVar(new BrokenCondVars.DropsWakeOfInterruptedWaiter()), SyncModels.CondVarModel::new, 1),
                new Variant("CondVar that spends a wake on a waiter already leaving",
                        () -> condVar(new BrokenCondVars.WakesLeavingWaiter()), SyncModels.CondVarModel::new, 1),
                new Variant("CondVar that is not FIFO",
                        () -> condVar(new BrokenCondVars.NotFifo()), SyncModels.CondVarModel::new, 1),
                new Variant("Semaphore that does not serve the next request when the head leaves",
                        () -> semaphore(new BrokenSemaphores.NoServeWhenHeadLeaves()), SyncModels.SemaphoreModel::new, 3),
                new Variant("Semaphore that lets new requests barge past waiters",
                        () -> semaphore(new BrokenSemaphores.Barging()), SyncModels.SemaphoreModel::new, 3),
                new Variant("Semaphore that loses the permits of a waiter interrupted after the grant",
                        () -> semaphore(new BrokenSemaphores.LosesRevokedPermits()), SyncModels.SemaphoreModel::new, 3),
                new Variant("Semaphore capped at its initial count (new Semaphore(0) cannot signal)",
                        () -> semaphore(new BrokenSemaphores.CappedAtInitialCount()), SyncModels.SemaphoreModel::new, 3),
                new Variant("Fifo that drops an item handed to a popper interrupted before it ran",
                        () -> fifo(new BrokenFifos.DropsHandedItem()), SyncModels.FifoModel::new, 1),
                new Variant("Fifo that hands an interrupted popper's item back to the tail",
                        () -> fifo(new BrokenFifos.HandsBackToTheTail()), SyncModels.FifoModel::new, 1));
        List<String> missed = new ArrayList<>();
        int caught = 0;
        for (Variant v : variants) {
            List<String> diff = new ArrayList<>();
            int failed = failures(v.subject(), v.model(), v.maxAmount(), diff);
            System.out.printf("broken variant %-75s caught by %3d of %d scripts%s%n", v.name(), failed, SCRIPTS,
                    diff.isEmpty() ? "" : "; first: " + diff.getFirst().lines().findFirst().orElse(""));
            if (failed > 0) {
                caught++;
            } else {
                missed.add(v.name());
            }
        }
        System.out.printf("broken variants caught: %d of %d%n", caught, variants.size());
        assertTrue(missed.isEmpty(), "the sync model properties missed: " + missed);
    }
}
