package dev.coro.tck.sync;

import dev.coro.Coro;
import dev.coro.sync.Mutex;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** dev.coro.sync.Mutex: ownership, re-entrancy, hand-off in FIFO order, and no hand-off lost. *
 * <p>Rules checked ({@link dev.coro.tck.Rule}): {@code mutexOwnership} (SPEC.md#api), {@code timedWait} (SPEC.md#api), {@code noLostWakeup} (SPEC.md#rule-6).
 */
public abstract class MutexVerification extends SyncVerificationBase {

    /** A coro that locks, logs, holds the mutex for {@code holdMs}, and unlocks. */
    private Coro<Void> locker(Mutex m, String name, long holdMs) {
        return Coro.spawn(name, () -> logged(name, () -> {
            m.lock();
            try {
                logAt(name + " locked");
                assertSame(Coro.current(), m.heldBy(), "heldBy is not the coro that locked");
                sleep(holdMs);
            } finally {
                m.unlock();
            }
        }));
    }

    @Test
    public void mutexOwnership_handOffInArrivalOrder() {
        runVirtual(() -> {
            Mutex m = new Mutex();
            List<Coro<Void>> cs = List.of(locker(m, "A", 5), locker(m, "B", 5), locker(m, "C", 5));
            cs.forEach(Coro::join);
            assertFalse(m.isLocked());
            assertNull(m.heldBy());
            return null;
        });
        assertEquals(List.of("A locked@0", "A ok@5", "B locked@5", "B ok@10", "C locked@10", "C ok@15"), trace);
    }

    @Test
    public void mutexOwnership_handOffCannotBeBargedInto() {
        runVirtual(() -> {
            Mutex m = new Mutex();
            m.lock();
            Coro<Void> a = locker(m, "A", 0);
            settle();
            m.unlock(); // hands the mutex to A before A runs
            assertTrue(m.isLocked(), "the mutex must pass straight to the waiter");
            assertSame(a, m.heldBy());
            assertFalse(m.tryLock(), "a coro barged into a handed-off mutex");
            a.join();
            return null;
        });
    }

    @Test
    public void mutexOwnership_reentrant() {
        runVirtual(() -> {
            Mutex m = new Mutex();
            m.lock();
            m.lock();
            assertTrue(m.tryLock());
            assertEquals(3, m.holdCount());
            m.unlock();
            m.unlock();
            assertTrue(m.isLocked(), "released before the last unlock");
            m.unlock();
            assertFalse(m.isLocked());
            return null;
        });
    }

    @Test
    public void mutexOwnership_unlockByANonOwnerIsAClearError() {
        runVirtual(() -> {
            Mutex m = new Mutex();
            IllegalStateException notLocked = assertThrows(IllegalStateException.class, m::unlock);
            assertTrue(notLocked.getMessage().contains("not locked"), notLocked.getMessage());
            m.lock();
            Coro<IllegalStateException> other = Coro.spawn("other", () -> assertThrows(IllegalStateException.class, m::unlock));
            IllegalStateException e = other.join();
            assertTrue(e.getMessage().contains("does not own"), e.getMessage());
            assertSame(Coro.current(), m.heldBy(), "a failed unlock changed the owner");
            m.unlock();
            return null;
        });
    }

    @Test
    public void timedWait_lockTimesOutAndLeavesTheQueue() {
        runVirtual(() -> {
            Mutex m = new Mutex();
            m.lock();
            Coro<Void> a = Coro.spawn("A", () -> logged("A", () -> m.lock(ms(5))));
            a.join();
            assertEquals(0, m.waiting());
            m.unlock();
            assertFalse(m.isLocked(), "the mutex was handed to a waiter that timed out");
            return null;
        });
        assertEquals(List.of("A timeout@5"), trace);
    }

    /** The holder's sleep and A's timebomb end at the same instant; either timer order must lose nothing. */
    private void unlockRacingWithTimeout(boolean unlockTimerFirst) {
        runVirtual(() -> {
            Mutex m = new Mutex();
            m.lock();
            Coro<Void> a = Coro.spawn("A", () -> logged("A", () -> m.lock(ms(10))));
            Coro<Void> b = locker(m, "B", 0);
            if (!unlockTimerFirst) {
                settle(); // A's timebomb goes into the heap before the holder's sleep
            }
            sleep(10);
            m.unlock();
            a.join();
            b.join();
            assertFalse(m.isLocked(), "the mutex stayed locked");
            assertEquals(0, m.waiting());
            return null;
        });
        assertTrue(trace.contains("A timeout@10"), trace.toString());
        assertTrue(trace.contains("B locked@10"), "B lost the hand-off: " + trace);
    }

    @Test
    public void noLostWakeup_unlockRacingWithATimeoutAtTheSameInstant_unlockTimerFirst() {
        unlockRacingWithTimeout(true);
    }

    @Test
    public void noLostWakeup_unlockRacingWithATimeoutAtTheSameInstant_timebombFirst() {
        unlockRacingWithTimeout(false);
    }

    @Test
    public void noLostWakeup_interruptAtTheHeadThenUnlock() {
        runVirtual(() -> {
            Mutex m = new Mutex();
            m.lock();
            Coro<Void> a = locker(m, "A", 0);
            Coro<Void> b = locker(m, "B", 0);
            settle();
            a.interrupt("stop");
            m.unlock();
            assertSame(b, m.heldBy(), "the mutex must go to B, the next waiter");
            a.join();
            b.join();
            assertFalse(m.isLocked());
            return null;
        });
        assertEquals(List.of("A interrupted(stop)@0", "B locked@0", "B ok@0"), trace);
    }

    @Test
    public void noLostWakeup_interruptAfterTheHandOffBeforeTheWaiterRan() {
        runVirtual(() -> {
            Mutex m = new Mutex();
            m.lock();
            Coro<Void> a = locker(m, "A", 0);
            Coro<Void> b = locker(m, "B", 0);
            settle();
            m.unlock();
            assertSame(a, m.heldBy());
            a.interrupt("stop"); // A owns it but has not run: it must pass the mutex on to B
            a.join();
            b.join();
            assertFalse(m.isLocked(), "the mutex stayed locked");
            return null;
        });
        assertEquals(List.of("A interrupted(stop)@0", "B locked@0", "B ok@0"), trace);
    }
}
