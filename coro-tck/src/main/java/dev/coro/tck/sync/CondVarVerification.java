package dev.coro.tck.sync;

import dev.coro.Coro;
import dev.coro.sync.CondVar;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** dev.coro.sync.CondVar: FIFO wakes, values, counts, raiseAll, and no wake-up lost to a timeout or interrupt. *
 * <p>Rules checked ({@link dev.coro.tck.Rule}): {@code fifoService} (SPEC.md#api), {@code condVar} (SPEC.md#api), {@code timedWait} (SPEC.md#api), {@code noLostWakeup} (SPEC.md#rule-6).
 */
public abstract class CondVarVerification extends SyncVerificationBase {

    private Coro<Void> waiter(CondVar cv, String name) {
        return Coro.spawn(name, () -> logged(name, () -> log(name + " got " + cv.await())));
    }

    private Coro<Void> timedWaiter(CondVar cv, String name, long timeoutMs) {
        return Coro.spawn(name, () -> logged(name, () -> log(name + " got " + cv.await(ms(timeoutMs)))));
    }

    @Test
    public void fifoService_wakeOneWakesWaitersInArrivalOrder() {
        runVirtual(() -> {
            CondVar cv = new CondVar();
            List<Coro<Void>> ws = List.of(waiter(cv, "A"), waiter(cv, "B"), waiter(cv, "C"));
            settle();
            assertEquals(3, cv.waiting());
            cv.wakeOne(1);
            cv.wakeOne(2);
            cv.wakeOne(3);
            ws.forEach(Coro::join);
            return null;
        });
        assertEquals(List.of("A got 1", "A ok@0", "B got 2", "B ok@0", "C got 3", "C ok@0"), trace);
    }

    @Test
    public void condVar_wakeCountsAndValues() {
        runVirtual(() -> {
            CondVar cv = new CondVar();
            assertFalse(cv.wakeOne("nobody"), "wakeOne with nobody waiting must return false");
            List<Coro<Void>> ws = List.of(waiter(cv, "A"), waiter(cv, "B"), waiter(cv, "C"));
            settle();
            assertEquals(2, cv.wakeN(2, "n"), "wakeN(2) with 3 waiting");
            assertEquals(1, cv.wakeAll("all"), "wakeAll with 1 left waiting");
            assertEquals(0, cv.wakeN(5, "none"), "wakeN with nobody waiting");
            ws.forEach(Coro::join);
            assertEquals(0, cv.waiting());
            return null;
        });
        assertTrue(trace.containsAll(List.of("A got n", "B got n", "C got all")), trace.toString());
    }

    @Test
    public void condVar_raiseAllMakesEveryWaiterThrow() {
        runVirtual(() -> {
            CondVar cv = new CondVar();
            List<Coro<String>> ws = List.of("A", "B").stream().map(n -> Coro.spawn(n, () -> {
                try {
                    cv.await();
                    return n + " woke";
                } catch (IllegalStateException e) {
                    return n + " raised " + e.getMessage();
                }
            })).toList();
            settle();
            assertEquals(2, cv.raiseAll(new IllegalStateException("closed")));
            assertEquals(List.of("A raised closed", "B raised closed"), ws.stream().map(Coro::join).toList());
            assertEquals(0, cv.waiting());
            return null;
        });
    }

    @Test
    public void timedWait_awaitTimesOutAndLeavesTheQueue() {
        runVirtual(() -> {
            CondVar cv = new CondVar();
            Coro<Void> a = timedWaiter(cv, "A", 5);
            a.join();
            assertEquals(0, cv.waiting(), "a timed-out waiter is still queued");
            assertFalse(cv.wakeOne("late"), "a wake after the timeout found a waiter");
            return null;
        });
        assertEquals(List.of("A timeout@5"), trace);
    }

    /** The waker's sleep and A's timebomb end at the same instant; either timer order must lose nothing. */
    private void wakeRacingWithTimeout(boolean wakerTimerFirst) {
        runVirtual(() -> {
            CondVar cv = new CondVar();
            Coro<Boolean> waker = null;
            if (wakerTimerFirst) {
                waker = Coro.spawn("waker", () -> {
                    sleep(10);
                    return cv.wakeOne("x");
                });
            }
            Coro<Void> a = timedWaiter(cv, "A", 10);
            Coro<Void> b = waiter(cv, "B");
            if (!wakerTimerFirst) {
                waker = Coro.spawn("waker", () -> {
                    sleep(10);
                    return cv.wakeOne("x");
                });
            }
            assertTrue(waker.join(), "wakeOne found nobody although B waited");
            a.join();
            b.join();
            assertEquals(0, cv.waiting());
            return null;
        });
        assertTrue(trace.contains("A timeout@10"), trace.toString());
        assertTrue(trace.contains("B got x"), "B lost the wake-up: " + trace);
    }

    @Test
    public void noLostWakeup_wakeRacingWithATimeoutAtTheSameInstant_wakerTimerFirst() {
        wakeRacingWithTimeout(true);
    }

    @Test
    public void noLostWakeup_wakeRacingWithATimeoutAtTheSameInstant_timebombFirst() {
        wakeRacingWithTimeout(false);
    }

    @Test
    public void noLostWakeup_interruptAtTheHeadThenWake() {
        runVirtual(() -> {
            CondVar cv = new CondVar();
            Coro<Void> a = waiter(cv, "A");
            Coro<Void> b = waiter(cv, "B");
            settle();
            a.interrupt("stop");
            assertTrue(cv.wakeOne("x"), "the wake must go to B, the next waiter");
            a.join();
            b.join();
            assertEquals(0, cv.waiting());
            return null;
        });
        assertEquals(List.of("A interrupted(stop)@0", "B got x", "B ok@0"), trace);
    }

    @Test
    public void noLostWakeup_interruptAfterTheWakeBeforeTheWaiterRan() {
        runVirtual(() -> {
            CondVar cv = new CondVar();
            Coro<Void> a = waiter(cv, "A");
            Coro<Void> b = waiter(cv, "B");
            settle();
            assertTrue(cv.wakeOne("x"));
            a.interrupt("stop"); // A was woken but has not run: its wake-up must pass to B
            a.join();
            b.join();
            assertEquals(0, cv.waiting());
            return null;
        });
        assertEquals(List.of("A interrupted(stop)@0", "B got x", "B ok@0"), trace);
    }

    @Test
    public void noLostWakeup_shutdownOfAWaiterRemovesIt() {
        runVirtual(() -> {
            CondVar cv = new CondVar();
            Coro<Void> a = waiter(cv, "A");
            settle();
            a.shutdown();
            settle();
            assertEquals(0, cv.waiting(), "a shut-down waiter is still queued");
            assertTrue(a.isDone());
            return null;
        });
    }
}
