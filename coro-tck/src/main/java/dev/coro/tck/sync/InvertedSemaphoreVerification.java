package dev.coro.tck.sync;

import dev.coro.Coro;
import dev.coro.sync.InvertedSemaphore;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** dev.coro.sync.InvertedSemaphore: awaitZero, and no waiter stranded by a timeout or interrupt. *
 * <p>Rules checked ({@link dev.coro.tck.Rule}): {@code invertedSemaphore} (SPEC.md#api), {@code timedWait} (SPEC.md#api), {@code noLostWakeup} (SPEC.md#rule-6).
 */
public abstract class InvertedSemaphoreVerification extends SyncVerificationBase {

    private Coro<Void> zeroWaiter(InvertedSemaphore s, String name) {
        return Coro.spawn(name, () -> logged(name, s::awaitZero));
    }

    @Test
    public void invertedSemaphore_awaitZeroReturnsWhenTheLastReleaseBringsItToZero() {
        runVirtual(() -> {
            InvertedSemaphore s = new InvertedSemaphore();
            s.awaitZero(); // zero: returns at once
            s.acquire();
            s.acquire(2);
            List<Coro<Void>> ws = List.of(zeroWaiter(s, "A"), zeroWaiter(s, "B"));
            sleep(1);
            s.release(2);
            sleep(1);
            assertEquals(2, s.waiting(), "woken before zero");
            s.release();
            ws.forEach(Coro::join);
            assertEquals(0, s.value());
            IllegalStateException e = assertThrows(IllegalStateException.class, s::release);
            assertTrue(e.getMessage().contains("released more than acquired"), e.getMessage());
            return null;
        });
        assertEquals(List.of("A ok@2", "B ok@2"), trace);
    }

    @Test
    public void timedWait_awaitZeroTimesOutAndLeavesTheQueue() {
        runVirtual(() -> {
            InvertedSemaphore s = new InvertedSemaphore(1);
            Coro.spawn("A", () -> logged("A", () -> s.awaitZero(ms(5)))).join();
            assertEquals(0, s.waiting());
            s.release();
            return null;
        });
        assertEquals(List.of("A timeout@5"), trace);
    }

    private void releaseRacingWithTimeout(boolean releaseTimerFirst) {
        runVirtual(() -> {
            InvertedSemaphore s = new InvertedSemaphore(1);
            Coro<Void> a = Coro.spawn("A", () -> logged("A", () -> s.awaitZero(ms(10))));
            Coro<Void> b = zeroWaiter(s, "B");
            if (!releaseTimerFirst) {
                settle();
            }
            sleep(10);
            s.release();
            a.join();
            b.join();
            assertEquals(0, s.waiting());
            return null;
        });
        assertTrue(trace.contains("B ok@10"), "B missed the zero: " + trace);
    }

    @Test
    public void noLostWakeup_releaseRacingWithATimeoutAtTheSameInstant_releaseTimerFirst() {
        releaseRacingWithTimeout(true);
    }

    @Test
    public void noLostWakeup_releaseRacingWithATimeoutAtTheSameInstant_timebombFirst() {
        releaseRacingWithTimeout(false);
    }

    @Test
    public void noLostWakeup_interruptAtTheHeadThenZero() {
        runVirtual(() -> {
            InvertedSemaphore s = new InvertedSemaphore(1);
            Coro<Void> a = zeroWaiter(s, "A");
            Coro<Void> b = zeroWaiter(s, "B");
            settle();
            a.interrupt("stop");
            s.release();
            a.join();
            b.join();
            assertEquals(0, s.waiting());
            return null;
        });
        assertEquals(List.of("A interrupted(stop)@0", "B ok@0"), trace);
    }

    @Test
    public void noLostWakeup_interruptAfterTheZeroBeforeTheWaiterRan() {
        runVirtual(() -> {
            InvertedSemaphore s = new InvertedSemaphore(1);
            Coro<Void> a = zeroWaiter(s, "A");
            Coro<Void> b = zeroWaiter(s, "B");
            settle();
            s.release();         // grants A and B
            a.interrupt("stop"); // A leaves (it is moved behind B in the run queue); B still returns
            a.join();
            b.join();
            return null;
        });
        assertEquals(List.of("B ok@0", "A interrupted(stop)@0"), trace);
    }
}
