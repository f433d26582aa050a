package dev.coro.tck.scheduler;

import dev.coro.Coro;
import dev.coro.CoroInterruptedException;
import dev.coro.CoroShutdownException;
import dev.coro.Scheduler;
import dev.coro.ScheduleException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SPEC.md §3 rule 6: interrupts and shutdown.
 * Example-based: a backend's test class extends this and returns its builder from
 * {@link #schedulerBuilder()}; each test is named after the rule it checks, and a failure names it.
 *
 * <p>Rules checked ({@link dev.coro.tck.Rule}): {@code rule6} (SPEC.md#rule-6).
 */
public abstract class InterruptRulesVerification extends SchedulerVerificationBase {

    @Test
    public void rule6_interruptOfASleeperRaisesAtItsSuspensionPointWithTheValue() {
        Scheduler s = virtual();
        runChecked(s, () -> {
            Coro<String> sleeper = Coro.spawn("sleeper", () -> {
                try {
                    Coro.sleep(Duration.ofHours(1));
                    return "slept";
                } catch (CoroInterruptedException e) {
                    logAt("interrupted with " + e.value());
                    return "interrupted";
                }
            });
            Coro.sleep(ms(3));
            sleeper.interrupt("x");
            assertEquals("interrupted", sleeper.join());
            assertEquals(0, timers(s), "the sleeper's timer is still in the heap");
            return null;
        });
        assertEquals(List.of("interrupted with x@3"), trace);
    }

    @Test
    public void rule6_interruptOfAJoinerRemovesItFromTheJoinQueue() {
        runVirtual(() -> {
            Coro<String> target = Coro.spawn("target", () -> {
                Coro.sleep(ms(10));
                return "t";
            });
            Coro<String> joiner = Coro.spawn("joiner", () -> {
                try {
                    return target.join();
                } catch (CoroInterruptedException e) {
                    logAt("joiner interrupted");
                    Coro.sleep(ms(100)); // still alive when target ends: must not be woken by it
                    logAt("joiner slept on");
                    return "j";
                }
            });
            Coro<String> second = Coro.spawn("second joiner", () -> target.join() + "2");
            Coro.sleep(ms(1));
            joiner.interrupt("stop");
            assertEquals("t2", second.join(), "the other joiner must still be woken");
            assertEquals("j", joiner.join());
            return null;
        });
        assertEquals(List.of("joiner interrupted@1", "joiner slept on@101"), trace);
    }

    @Test
    public void rule6_scheduledTargetIsUnscheduledFirstThenGetsTheInterrupt() {
        runVirtual(() -> {
            Coro<String> t = Coro.spawn("T", () -> {
                try {
                    Coro.yieldSlice();
                    Coro.sleep(ms(5)); // the interrupt replaced the yield's wake-up, so this is never reached
                    return "ran on";
                } catch (CoroInterruptedException e) {
                    return "interrupted " + e.value();
                }
            });
            // main yields, then T runs and yields; both wake in the same timer phase, main first,
            // so T is scheduled (behind main) when main interrupts it.
            Coro.yieldSlice();
            t.interrupt("v");
            assertEquals("interrupted v", t.join());
            return null;
        });
    }

    @Test
    public void rule6_interruptingADeadCoroIsAScheduleException() {
        runVirtual(() -> {
            Coro<?> done = Coro.spawn("done", () -> "x");
            done.join();
            ScheduleException e = assertThrows(ScheduleException.class, () -> done.interrupt("late"));
            assertTrue(e.getMessage().contains("finished"), e.getMessage());
            return null;
        });
    }

    @Test
    public void rule6_interruptingItselfIsAScheduleException() {
        runVirtual(() -> {
            ScheduleException e = assertThrows(ScheduleException.class, () -> Coro.current().interrupt("me"));
            assertTrue(e.getMessage().contains("itself"), e.getMessage());
            return null;
        });
    }

    @Test
    public void rule6_interruptingACoroThatNeverStartedIsAScheduleException() {
        runVirtual(() -> {
            Coro<?> fresh = Coro.spawn("fresh", () -> log("fresh ran"));
            ScheduleException e = assertThrows(ScheduleException.class, () -> fresh.interrupt("early"));
            assertTrue(e.getMessage().contains("not started"), e.getMessage());
            fresh.join();
            return null;
        });
        assertEquals(List.of("fresh ran"), trace);
    }

    @Test
    public void rule6_shutdownOfACoroThatNeverStartedCancelsIt() {
        runVirtual(() -> {
            Coro<?> fresh = Coro.spawn("fresh", () -> log("fresh ran"));
            fresh.shutdown();
            assertTrue(fresh.isDone());
            assertThrows(CoroShutdownException.class, fresh::join);
            Coro.yieldSlice();
            return null;
        });
        assertEquals(List.of(), trace);
        assertEquals(List.of(), uncaught, "a shutdown is not an uncaught failure");
    }

    @Test
    public void rule6_shutdownOfARunningCoroUnwindsItQuietly() {
        runVirtual(() -> {
            Coro<?> worker = Coro.spawn("worker", () -> {
                try {
                    Coro.sleep(Duration.ofDays(1));
                } finally {
                    logAt("worker unwound");
                }
            });
            Coro.sleep(ms(2));
            worker.shutdown();
            assertThrows(CoroShutdownException.class, worker::join);
            worker.shutdown(); // of a dead coro: nothing
            return null;
        });
        assertEquals(List.of("worker unwound@2"), trace);
        assertEquals(List.of(), uncaught);
    }

    @Test
    public void rule6_interruptRequiresACoroOfTheSameScheduler() {
        Coro<?>[] escaped = new Coro<?>[1];
        runVirtual(() -> {
            escaped[0] = Coro.spawn("escapee", () -> Coro.sleep(Duration.ofDays(1)));
            Coro.yieldSlice();
            return null;
        });
        // The run is over; a call from the test thread is outside any coro.
        assertTrue(escaped[0].isDone(), "the run's end shut the escapee down");
        assertThrows(dev.coro.NotInCoroException.class, () -> escaped[0].interrupt("from outside"));
    }
}
