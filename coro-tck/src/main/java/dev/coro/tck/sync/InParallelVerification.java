package dev.coro.tck.sync;

import dev.coro.Coro;
import dev.coro.CoroTimeoutException;
import dev.coro.sync.InParallel;
import dev.coro.sync.InParallelException;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.Callable;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** dev.coro.sync.InParallel: every result or failure, in task order, none lost; nothing outlives a timeout. *
 * <p>Rules checked ({@link dev.coro.tck.Rule}): {@code inParallel} (SPEC.md#api), {@code timedWait} (SPEC.md#api), {@code badInput} (SPEC.md#reliability).
 */
public abstract class InParallelVerification extends SyncVerificationBase {

    @Test
    public void inParallel_returnsEveryOutcomeInTaskOrder() {
        runVirtual(() -> {
            List<Callable<String>> tasks = List.of(
                    () -> { sleep(30); return "slow"; },
                    () -> { throw new IllegalStateException("boom"); },
                    () -> { sleep(10); return "fast"; },
                    () -> { throw new java.io.IOException("checked"); });
            long t0 = Coro.now();
            List<InParallel.Outcome<String>> out = InParallel.run(tasks);
            assertEquals(30_000_000L, Coro.now() - t0, "the tasks did not run in parallel");
            assertEquals(4, out.size());
            assertEquals("slow", out.get(0).value());
            assertEquals("boom", out.get(1).failure().getMessage());
            assertEquals("fast", out.get(2).value());
            assertTrue(out.get(3).failure() instanceof java.io.IOException, "the checked failure was lost");
            return null;
        });
    }

    @Test
    public void inParallel_valuesThrowsWithEveryFailure() {
        runVirtual(() -> {
            List<Callable<Integer>> tasks = List.of(() -> 1, () -> { throw new IllegalStateException("a"); },
                    () -> { throw new IllegalArgumentException("b"); });
            InParallelException e = assertThrows(InParallelException.class, () -> InParallel.values(tasks));
            assertEquals(3, e.outcomes().size());
            assertEquals(2, e.getSuppressed().length, "a failure was lost");
            assertEquals(List.of(1, 2), InParallel.values(List.<Callable<Integer>>of(() -> 1, () -> 2)));
            return null;
        });
    }

    @Test
    public void timedWait_inParallelTimeoutShutsDownTheUnfinishedTasks() {
        runVirtual(() -> {
            List<Callable<String>> tasks = List.of(() -> "quick", () -> { sleep(1000); return "late"; });
            assertThrows(CoroTimeoutException.class, () -> InParallel.run(tasks, ms(5)));
            settle(); // the shut-down task unwinds
            return null;
        });
        // runVirtual checks that no task coro outlived the run.
    }

    @Test
    public void badInput_inParallelRejectsNullTasks() {
        runVirtual(() -> {
            assertThrows(NullPointerException.class, () -> InParallel.run(null));
            java.util.ArrayList<Callable<String>> withNull = new java.util.ArrayList<>();
            withNull.add(() -> "x");
            withNull.add(null);
            NullPointerException e = assertThrows(NullPointerException.class, () -> InParallel.run(withNull));
            assertTrue(e.getMessage().contains("task 1"), e.getMessage());
            assertFalse(InParallel.run(List.<Callable<String>>of()).iterator().hasNext());
            return null;
        });
    }
}
