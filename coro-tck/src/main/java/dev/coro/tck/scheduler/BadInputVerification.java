package dev.coro.tck.scheduler;

import dev.coro.Coro;
import dev.coro.CoroTimeoutException;
import dev.coro.NotInCoroException;
import dev.coro.ScheduleException;
import dev.coro.Scheduler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.time.Duration;
import java.util.concurrent.Callable;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Bad input gets a specific exception whose message names the problem (SPEC.md §7).
 * Example-based: a backend's test class extends this and returns its builder from
 * {@link #schedulerBuilder()}; each test is named after the rule it checks, and a failure names it.
 *
 * <p>Rules checked ({@link dev.coro.tck.Rule}): {@code reliability} (SPEC.md#reliability).
 */
public abstract class BadInputVerification extends SchedulerVerificationBase {

    private static void assertMessage(Class<? extends Throwable> type, String fragment, Executable call) {
        Throwable t = assertThrows(type, call);
        assertTrue(t.getMessage() != null && t.getMessage().contains(fragment),
                "message should mention '" + fragment + "': " + t.getMessage());
    }

    @Test
    public void reliability_coroStaticsOutsideAnySchedulerNameTheProblem() {
        assertMessage(NotInCoroException.class, "not inside a coro", () -> Coro.sleep(ms(1)));
        assertMessage(NotInCoroException.class, "not inside a coro", Coro::yieldSlice);
        assertMessage(NotInCoroException.class, "not inside a coro", () -> Coro.spawn(() -> "x"));
        assertMessage(NotInCoroException.class, "not inside a coro", Coro::now);
        assertMessage(NotInCoroException.class, "not inside a coro", () -> Coro.withTimeout(ms(1), () -> "x"));
    }

    @Test
    public void reliability_coroStaticsFromAnotherThreadDuringARunNameTheProblem() {
        runVirtual(() -> {
            Throwable[] seen = new Throwable[1];
            Thread t = Thread.ofPlatform().start(() -> {
                try {
                    Coro.sleep(ms(1));
                } catch (Throwable e) {
                    seen[0] = e;
                }
            });
            t.join();
            assertTrue(seen[0] instanceof NotInCoroException, "got " + seen[0]);
            return null;
        });
    }

    @Test
    public void reliability_joinOnItselfIsAScheduleException() {
        runVirtual(() -> {
            assertMessage(ScheduleException.class, "cannot join itself", () -> Coro.current().join());
            return null;
        });
    }

    @Test
    public void reliability_joinFromOutsideTheSchedulerIsRejected() {
        Coro<?>[] c = new Coro<?>[1];
        runVirtual(() -> {
            c[0] = Coro.spawn("sleeper", () -> Coro.sleep(Duration.ofDays(1)));
            Coro.yieldSlice();
            return null;
        });
        // done by now (shut down), so join answers at once; a live one would be a NotInCoroException.
        assertTrue(c[0].isDone());
    }

    @Test
    public void reliability_nullBodiesAreRejectedWithAMessage() {
        runVirtual(() -> {
            assertMessage(NullPointerException.class, "must not be null", () -> Coro.spawn((Callable<Object>) null));
            assertMessage(NullPointerException.class, "must not be null", () -> Coro.spawn((Runnable) null));
            assertMessage(NullPointerException.class, "must not be null",
                    () -> Coro.withTimeout(ms(1), (Callable<Object>) null));
            assertMessage(NullPointerException.class, "must not be null", () -> Coro.sleep(null));
            assertMessage(NullPointerException.class, "must not be null", () -> Coro.withTimeout(null, () -> 1));
            return null;
        });
        assertMessage(NullPointerException.class, "must not be null", () -> virtual().run((Callable<Object>) null));
        assertMessage(NullPointerException.class, "must not be null", () -> virtual().submit(null));
    }

    @Test
    public void reliability_negativeAndOverflowingDurationsAreRejected() {
        runVirtual(() -> {
            assertMessage(IllegalArgumentException.class, "must not be negative", () -> Coro.sleep(ms(-1)));
            assertMessage(IllegalArgumentException.class, "too long",
                    () -> Coro.sleep(Duration.ofSeconds(Long.MAX_VALUE)));
            assertMessage(IllegalArgumentException.class, "too long",
                    () -> Coro.withTimeout(Duration.ofSeconds(Long.MAX_VALUE), () -> 1));
            Coro<?> other = Coro.spawn(() -> "x");
            assertMessage(IllegalArgumentException.class, "must not be negative", () -> other.join(ms(-5)));
            other.join();
            // The longest representable sleep is fine: its deadline saturates instead of wrapping.
            Coro<?> far = Coro.spawn(() -> Coro.sleep(Duration.ofNanos(Long.MAX_VALUE)));
            Coro.yieldSlice();
            assertThrows(CoroTimeoutException.class, () -> far.join(ms(1)));
            far.shutdown();
            return null;
        });
    }

    @Test
    public void reliability_joinWithTimeoutNamesTheCoroStillAlive() {
        runVirtual(() -> {
            Coro<?> slow = Coro.spawn("slow", () -> Coro.sleep(ms(100)));
            assertMessage(CoroTimeoutException.class, "'slow' still alive after", () -> slow.join(ms(10)));
            assertEquals(10_000_000L, Coro.now());
            slow.join();
            return null;
        });
    }

    @Test
    public void reliability_builderRejectsBadSettings() {
        assertMessage(IllegalArgumentException.class, "at least 1", () -> Scheduler.builder().maxBatchesPerPhase(0));
        assertMessage(IllegalArgumentException.class, "negative", () -> Scheduler.builder().latencyWarning(ms(-1)));
        assertMessage(NullPointerException.class, "switcher", () -> Scheduler.builder().switcher(null));
    }
}
