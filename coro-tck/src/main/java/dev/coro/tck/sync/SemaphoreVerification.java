package dev.coro.tck.sync;

import dev.coro.Coro;
import dev.coro.sync.Semaphore;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * dev.coro.sync.Semaphore: permits as in java.util.concurrent (unbounded by default: the signalling
 * idiom, releases above the initial count, any request waits until it fits), FIFO with head-of-line
 * blocking, impossible requests and over-releases of a bounded semaphore, and no permits lost.
 *
 * <p>Rules checked ({@link dev.coro.tck.Rule}): {@code headOfLine} (SPEC.md#api), {@code fifoService} (SPEC.md#api), {@code semaphorePermits} (SPEC.md#api), {@code timedWait} (SPEC.md#api), {@code noLostWakeup} (SPEC.md#rule-6).
 */
public abstract class SemaphoreVerification extends SyncVerificationBase {

    /** A coro that acquires {@code n}, logs, holds them {@code holdMs}, and releases them. */
    private Coro<Void> user(Semaphore s, String name, int n, long holdMs) {
        return Coro.spawn(name, () -> logged(name, () -> {
            s.acquire(n);
            logAt(name + " got " + n);
            sleep(holdMs);
            s.release(n);
        }));
    }

    @Test
    public void headOfLine_aBigRequestAtTheHeadIsNotStarvedBySmallOnes() {
        runVirtual(() -> {
            Semaphore s = new Semaphore(3);
            Coro<Void> first = user(s, "S", 2, 10);   // holds 2 of 3 until 10
            settle();
            Coro<Void> big = user(s, "BIG", 3, 5);    // waits at the head for all 3
            settle();
            Coro<Void> small = user(s, "small", 1, 5); // 1 is available, but BIG is ahead: it waits
            settle();
            assertEquals(1, s.available());
            assertEquals(2, s.waiting(), "small barged past BIG");
            List.of(first, big, small).forEach(Coro::join);
            assertEquals(3, s.available());
            return null;
        });
        assertEquals(List.of("S got 2@0", "S ok@10", "BIG got 3@10", "BIG ok@15", "small got 1@15", "small ok@20"),
                trace);
    }

    @Test
    public void fifoService_waitersAreGrantedInArrivalOrder() {
        runVirtual(() -> {
            Semaphore s = new Semaphore(0, 1);
            List<Coro<Void>> us = List.of(user(s, "A", 1, 1), user(s, "B", 1, 1), user(s, "C", 1, 1));
            settle();
            s.release(1);
            us.forEach(Coro::join);
            return null;
        });
        assertEquals(List.of("A got 1@0", "A ok@1", "B got 1@1", "B ok@2", "C got 1@2", "C ok@3"), trace);
    }

    @Test
    public void semaphorePermits_newSemaphoreZeroSignals_oneCoroAcquiresAnotherReleases() {
        runVirtual(() -> {
            Semaphore s = new Semaphore(0);
            Coro<Void> waiter = Coro.spawn("W", () -> logged("W", () -> {
                s.acquire();
                logAt("W got 1");
            }));
            Coro<Void> signaller = Coro.spawn("S", () -> logged("S", () -> {
                sleep(5);
                s.release();
                logAt("S released 1");
            }));
            waiter.join();
            signaller.join();
            assertEquals(0, s.available());
            assertEquals(0, s.waiting());
            return null;
        });
        // S goes on after its release; W runs next, at the same instant.
        assertEquals(List.of("S released 1@5", "S ok@5", "W got 1@5", "W ok@5"), trace);
    }

    @Test
    public void semaphorePermits_acquireFiveOnAnEmptySemaphoreWaitsForFiveReleases() {
        runVirtual(() -> {
            Semaphore s = new Semaphore(0);
            Coro<Void> big = user(s, "BIG", 5, 0);
            settle();
            for (int i = 1; i <= 4; i++) {
                sleep(1);
                s.release();
                settle();
                assertEquals(i, s.available(), "after release " + i);
                assertEquals(1, s.waiting(), "BIG took fewer than 5 permits");
            }
            sleep(1);
            s.release();
            big.join();
            assertEquals(5, s.available(), "BIG gives its 5 back when done");
            return null;
        });
        assertEquals(List.of("BIG got 5@5", "BIG ok@5"), trace);
    }

    @Test
    public void semaphorePermits_releasesMayGoAboveTheInitialCount() {
        runVirtual(() -> {
            Semaphore s = new Semaphore(1);
            assertFalse(s.isBounded());
            s.release(3);
            assertEquals(4, s.available(), "a release above the initial count was refused or lost");
            assertTrue(s.tryAcquire(4), "the permits released above the initial count cannot be acquired");
            s.release(Integer.MAX_VALUE);
            assertEquals(Integer.MAX_VALUE, s.available());
            return null;
        });
    }

    @Test
    public void semaphorePermits_aReleaseThatWouldOverflowTheCountIsAClearError() {
        runVirtual(() -> {
            Semaphore s = new Semaphore(Integer.MAX_VALUE - 1);
            s.release(1);
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> s.release(1));
            assertTrue(e.getMessage().contains("Semaphore.release(1)") && e.getMessage().contains("Integer.MAX_VALUE"),
                    e.getMessage());
            assertEquals(Integer.MAX_VALUE, s.available(), "a failed release changed the count");
            return null;
        });
    }

    @Test
    public void headOfLine_aBoundedSemaphoreStillRefusesARequestBeyondItsCapacityAndAnOverRelease() {
        runVirtual(() -> {
            Semaphore s = new Semaphore(2, 2);
            assertTrue(s.isBounded());
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> s.acquire(3));
            assertTrue(e.getMessage().contains("never"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> s.acquire(3, ms(1)));
            assertThrows(IllegalArgumentException.class, () -> s.tryAcquire(3));
            IllegalStateException over = assertThrows(IllegalStateException.class, () -> s.release(1));
            assertTrue(over.getMessage().contains("capacity 2"), over.getMessage());
            assertEquals(2, s.available(), "a failed call changed the count");
            assertTrue(s.tryAcquire(2));
            s.release(2); // back to the ceiling is fine
            assertThrows(IllegalStateException.class, () -> s.release(1));
            return null;
        });
    }

    @Test
    public void timedWait_acquireTimesOutAndLeavesTheQueue() {
        runVirtual(() -> {
            Semaphore s = new Semaphore(0, 1);
            Coro<Void> a = Coro.spawn("A", () -> logged("A", () -> s.acquire(1, ms(5))));
            a.join();
            assertEquals(0, s.waiting());
            s.release(1);
            assertEquals(1, s.available(), "a permit went to a waiter that had timed out");
            assertTrue(s.tryAcquire(1));
            return null;
        });
        assertEquals(List.of("A timeout@5"), trace);
    }

    private void releaseRacingWithTimeout(boolean releaseTimerFirst) {
        runVirtual(() -> {
            Semaphore s = new Semaphore(0, 1);
            Coro<Void> a = Coro.spawn("A", () -> logged("A", () -> {
                s.acquire(1, ms(10));
                logAt("A got 1");
            }));
            Coro<Void> b = user(s, "B", 1, 0);
            if (!releaseTimerFirst) {
                settle();
            }
            sleep(10);
            s.release(1);
            a.join();
            b.join();
            assertEquals(1, s.available(), "a permit was lost");
            assertEquals(0, s.waiting());
            return null;
        });
        assertTrue(trace.contains("A timeout@10"), trace.toString());
        assertTrue(trace.contains("B got 1@10"), "B lost the permit: " + trace);
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
    public void noLostWakeup_interruptOfTheBlockingHeadLetsTheNextRequestThrough() {
        runVirtual(() -> {
            Semaphore s = new Semaphore(1, 3);
            Coro<Void> big = user(s, "BIG", 3, 0);
            Coro<Void> small = user(s, "small", 1, 0);
            settle();
            assertEquals(2, s.waiting(), "head-of-line: small must wait behind BIG");
            big.interrupt("stop"); // the head leaves: the 1 available permit now fits small
            big.join();
            small.join();
            assertEquals(1, s.available());
            return null;
        });
        assertEquals(List.of("BIG interrupted(stop)@0", "small got 1@0", "small ok@0"), trace);
    }

    @Test
    public void noLostWakeup_interruptAfterTheGrantBeforeTheWaiterRan() {
        runVirtual(() -> {
            Semaphore s = new Semaphore(0, 1);
            Coro<Void> a = user(s, "A", 1, 0);
            Coro<Void> b = user(s, "B", 1, 0);
            settle();
            s.release(1);        // granted to A
            a.interrupt("stop"); // A leaves before it ran: its permit must go to B
            a.join();
            b.join();
            assertEquals(1, s.available(), "a permit was lost");
            return null;
        });
        assertEquals(List.of("A interrupted(stop)@0", "B got 1@0", "B ok@0"), trace);
    }

    @Test
    public void headOfLine_tryAcquireDoesNotBargePastWaiters() {
        runVirtual(() -> {
            Semaphore s = new Semaphore(1, 3);
            Coro<Void> big = user(s, "BIG", 3, 0);
            settle();
            assertFalse(s.tryAcquire(1), "tryAcquire took a permit that BIG is waiting for");
            s.release(2);
            big.join();
            assertEquals(3, s.available());
            return null;
        });
    }
}
