package dev.coro.tck.scheduler;

import dev.coro.Coro;
import dev.coro.CoroExecutionException;
import dev.coro.CoroInterruptedException;
import dev.coro.CoroTimeoutException;
import dev.coro.Scheduler;
import dev.coro.sync.Fifo;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * SPEC.md §3 rule 5: timebombs, nesting, holding, and no timer left behind.
 * Example-based: a backend's test class extends this and returns its builder from
 * {@link #schedulerBuilder()}; each test is named after the rule it checks, and a failure names it.
 *
 * <p>Rules checked ({@link dev.coro.tck.Rule}): {@code rule5} (SPEC.md#rule-5), {@code rule2} (SPEC.md#rule-2).
 */
public abstract class TimeoutRulesVerification extends SchedulerVerificationBase {

    @Test
    public void rule5_bodyThatReturnsFirstGivesItsValueAndRemovesTheTimebomb() {
        Scheduler s = virtual();
        runChecked(s, () -> {
            int before = timers(s);
            String v = Coro.withTimeout(ms(10), () -> {
                Coro.sleep(ms(5));
                return "done";
            });
            assertEquals("done", v);
            assertEquals(before, timers(s));
            assertEquals(5_000_000L, Coro.now());
            return null;
        });
    }

    @Test
    public void rule5_deadlineFirstThrowsTimeoutAtTheDeadline() {
        Scheduler s = virtual();
        runChecked(s, () -> {
            CoroTimeoutException e = assertThrows(CoroTimeoutException.class,
                    () -> Coro.withTimeout(ms(10), () -> Coro.sleep(ms(50))));
            assertEquals(10_000_000L, Coro.now());
            assertInstanceOf(CoroInterruptedException.class, e.getCause());
            assertEquals(0, timers(s), "sleep timer or timebomb left behind");
            return null;
        });
    }

    @Test
    public void rule5_negativeTimeoutCountsAsZero() {
        runVirtual(() -> {
            assertThrows(CoroTimeoutException.class, () -> Coro.withTimeout(Duration.ofSeconds(-5), () -> Coro.yieldSlice()));
            return null;
        });
    }

    @Test
    public void rule5_innerFiresFirstAndIsCaughtInside() {
        Scheduler s = virtual();
        runChecked(s, () -> {
            String v = Coro.withTimeout(ms(20), () -> {
                try {
                    Coro.withTimeout(ms(5), () -> Coro.sleep(ms(100)));
                    return "inner returned";
                } catch (CoroTimeoutException inner) {
                    logAt("inner timeout");
                    return "outer ok";
                }
            });
            assertEquals("outer ok", v);
            assertEquals(0, timers(s));
            return null;
        });
        assertEquals(List.of("inner timeout@5"), trace);
    }

    @Test
    public void rule5_outerFiresFirstAndPassesThroughTheInnerFrame() {
        Scheduler s = virtual();
        runChecked(s, () -> {
            assertThrows(CoroTimeoutException.class, () -> Coro.withTimeout(ms(5), () -> {
                try {
                    return Coro.withTimeout(ms(20), () -> {
                        Coro.sleep(ms(100));
                        return "slept";
                    });
                } catch (CoroTimeoutException wrong) {
                    fail("the inner frame must not turn the outer timebomb into its own timeout");
                    return null;
                } catch (CoroInterruptedException passing) {
                    logAt("inner saw outer interrupt");
                    throw passing;
                }
            }));
            assertEquals(0, timers(s));
            return null;
        });
        assertEquals(List.of("inner saw outer interrupt@5"), trace);
    }

    @Test
    public void rule5_bothAtOnceTheOuterInsertedFirstFires() {
        Scheduler s = virtual();
        runChecked(s, () -> {
            CoroTimeoutException e = assertThrows(CoroTimeoutException.class, () -> Coro.withTimeout(ms(10), () ->
                    Coro.withTimeout(ms(10), () -> Coro.sleep(ms(100)))));
            // The outer frame converted: its cause carries the outer timebomb, which the inner let pass.
            assertEquals(10_000_000L, Coro.now());
            assertInstanceOf(CoroInterruptedException.class, e.getCause());
            assertEquals(0, timers(s), "the inner timebomb was left in the heap");
            return null;
        });
    }

    @Test
    public void rule5_timebombHeldWhileItsCoroIsAlreadyScheduled() {
        // Batch cap 1: A is woken by B's end in one run phase but only resumed in the next, after a
        // timer phase in which A's zero-length timebomb is due. It must be held, not raised into a
        // coro that is already scheduled; A then sees B's value, and the bomb fires at A's next wait.
        Scheduler s = builder().virtualTime().maxBatchesPerPhase(1).build();
        runChecked(s, () -> {
            @SuppressWarnings("unchecked")
            Coro<Object>[] bc = new Coro[2];
            Coro<String> a = Coro.spawn("A", () -> Coro.withTimeout(Duration.ZERO, () -> {
                log("A joins B");
                log("B gave " + bc[0].join());
                bc[1].join();
                return "not reached";
            }));
            bc[0] = Coro.spawn("B", () -> "b");
            bc[1] = Coro.spawn("C", () -> {
                Coro.sleep(Duration.ofDays(1));
                return null;
            });
            Coro<Object> c = bc[1];
            assertThrows(CoroTimeoutException.class, a::join);
            c.shutdown();
            assertEquals(0, Coro.now(), "the virtual clock should not have moved");
            return null;
        });
        assertEquals(List.of("A joins B", "B gave b"), trace);
    }

    @Test
    public void rule5_timerHeapReturnsToItsSizeAfterEveryWithTimeout() {
        Scheduler s = virtual();
        runChecked(s, () -> {
            int base = timers(s);
            Coro.withTimeout(ms(5), () -> "value");
            assertEquals(base, timers(s), "after a value");
            assertThrows(CoroTimeoutException.class, () -> Coro.withTimeout(ms(5), () -> Coro.sleep(ms(10))));
            assertEquals(base, timers(s), "after a timeout");
            assertThrows(IllegalStateException.class, () -> Coro.withTimeout(ms(5), () -> {
                throw new IllegalStateException("boom");
            }));
            assertEquals(base, timers(s), "after a failure");
            CoroExecutionException checked = assertThrows(CoroExecutionException.class,
                    () -> Coro.withTimeout(ms(5), () -> {
                        throw new IOException("checked");
                    }));
            assertInstanceOf(IOException.class, checked.getCause());
            assertEquals(base, timers(s), "after a checked failure");
            for (int i = 0; i < 100; i++) {
                int depth = i % 4;
                nest(depth, i % 3 == 0);
            }
            assertEquals(base, timers(s), "after nested timeouts");
            return null;
        });
    }

    private static void nest(int depth, boolean timeOut) {
        if (depth == 0) {
            if (timeOut) {
                try {
                    Coro.withTimeout(Duration.ZERO, () -> Coro.sleep(ms(1)));
                } catch (CoroTimeoutException expected) {
                    return;
                }
                fail("zero timeout did not fire");
            }
            Coro.yieldSlice();
            return;
        }
        Coro.withTimeout(Duration.ofMillis(depth * 10L), () -> nest(depth - 1, timeOut));
    }

    @Test
    public void rule5_aBodyThatCatchesTheInterruptAndReturnsKeepsItsValue() {
        runVirtual(() -> {
            Object v = Coro.withTimeout(ms(1), () -> {
                try {
                    Coro.sleep(ms(10));
                    return "slept";
                } catch (CoroInterruptedException e) {
                    return "caught";
                }
            });
            assertEquals("caught", v);
            return null;
        });
    }

    @Test
    public void rule5_manualInterruptPassesThroughWithTimeoutUnchanged() {
        runVirtual(() -> {
            Coro<?> me = Coro.current();
            Coro<?> other = Coro.spawn("interrupter", () -> me.interrupt("mine"));
            CoroInterruptedException e = assertThrows(CoroInterruptedException.class,
                    () -> Coro.withTimeout(ms(100), () -> Coro.sleep(ms(50))));
            assertSame("mine", e.value());
            other.join();
            return null;
        });
    }

    @Test
    public void rule2_aHeldTimebombIsDeliveredNextIterationEvenIfItsCoroIsScheduledAgain() {
        // main and B ping-pong through two Fifos under a batch cap of 2, so at every timer phase main
        // has just been woken by B again. shrapnel holds main's zero-length timebomb for as long as
        // that lasts (for ever); rule 2 holds it once, then unschedules main and interrupts it, and the
        // Fifo gets back the item main had been handed.
        Scheduler s = builder().virtualTime().maxBatchesPerPhase(2).build();
        int[] rounds = {0};
        runChecked(s, () -> {
            Fifo<Integer> toMain = new Fifo<>();
            Fifo<Integer> toB = new Fifo<>();
            Coro<?> b = Coro.spawn("B", () -> {
                while (true) {
                    toMain.push(toB.pop());
                }
            });
            assertThrows(CoroTimeoutException.class, () -> Coro.withTimeout(Duration.ZERO, () -> {
                for (int r = 0; r < 10_000; r++) {
                    toB.push(r);
                    toMain.pop();
                    rounds[0]++;
                }
                return "the timebomb never went off in 10000 rounds";
            }));
            assertEquals(1, toMain.size(), "the item main was woken with must be handed back to the Fifo");
            assertEquals(rounds[0], toMain.pop(), "the handed-back item");
            assertEquals(0, timers(s), "no timer left");
            b.shutdown();
            return null;
        });
        assertTrue(rounds[0] <= 2, "the timebomb went off " + rounds[0] + " rounds late; rule 2 allows one iteration");
    }
}
