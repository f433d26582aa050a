package dev.coro.tck.sync;

import dev.coro.Coro;
import dev.coro.sync.RwLock;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** dev.coro.sync.RwLock: shared readers, exclusive writers, FIFO policy (no writer starvation), nothing lost. *
 * <p>Rules checked ({@link dev.coro.tck.Rule}): {@code rwPolicy} (SPEC.md#api), {@code timedWait} (SPEC.md#api), {@code noLostWakeup} (SPEC.md#rule-6).
 */
public abstract class RwLockVerification extends SyncVerificationBase {

    private Coro<Void> reader(RwLock l, String name, long holdMs) {
        return Coro.spawn(name, () -> logged(name, () -> {
            l.readLock();
            try {
                logAt(name + " reads");
                sleep(holdMs);
            } finally {
                l.readUnlock();
            }
        }));
    }

    private Coro<Void> writer(RwLock l, String name, long holdMs) {
        return Coro.spawn(name, () -> logged(name, () -> {
            l.writeLock();
            try {
                logAt(name + " writes");
                sleep(holdMs);
            } finally {
                l.writeUnlock();
            }
        }));
    }

    @Test
    public void rwPolicy_readersShareWritersAreExclusive() {
        runVirtual(() -> {
            RwLock l = new RwLock();
            List<Coro<Void>> cs = List.of(reader(l, "R1", 5), reader(l, "R2", 5), writer(l, "W", 5));
            cs.forEach(Coro::join);
            return null;
        });
        assertEquals(List.of("R1 reads@0", "R2 reads@0", "R1 ok@5", "R2 ok@5", "W writes@5", "W ok@10"), trace);
    }

    @Test
    public void rwPolicy_aWaitingWriterHoldsBackLaterReaders_noWriterStarvation() {
        runVirtual(() -> {
            RwLock l = new RwLock();
            Coro<Void> r1 = reader(l, "R1", 10);
            settle();
            Coro<Void> w = writer(l, "W", 5);
            settle();
            Coro<Void> r2 = reader(l, "R2", 5); // would share with R1, but W waits ahead of it
            settle();
            assertEquals(2, l.waiting(), "R2 overtook the waiting writer");
            List.of(r1, w, r2).forEach(Coro::join);
            return null;
        });
        assertEquals(List.of("R1 reads@0", "R1 ok@10", "W writes@10", "W ok@15", "R2 reads@15", "R2 ok@20"), trace);
    }

    @Test
    public void rwPolicy_aWriterReleaseAdmitsTheRunOfReadersUpToTheNextWriter() {
        runVirtual(() -> {
            RwLock l = new RwLock();
            l.writeLock();
            List<Coro<Void>> cs = List.of(reader(l, "R1", 5), reader(l, "R2", 5), writer(l, "W2", 5),
                    reader(l, "R3", 5));
            settle();
            l.writeUnlock();
            cs.forEach(Coro::join);
            return null;
        });
        assertEquals(List.of("R1 reads@0", "R2 reads@0", "R1 ok@5", "R2 ok@5", "W2 writes@5", "W2 ok@10",
                "R3 reads@10", "R3 ok@15"), trace);
    }

    @Test
    public void rwPolicy_reentrancyAndMisuseAreClear() {
        runVirtual(() -> {
            RwLock l = new RwLock();
            l.readLock();
            l.readLock(); // re-entrant read
            IllegalStateException up = assertThrows(IllegalStateException.class, l::writeLock);
            assertTrue(up.getMessage().contains("upgrad"), up.getMessage());
            l.readUnlock();
            l.readUnlock();
            assertThrows(IllegalStateException.class, l::readUnlock);
            assertThrows(IllegalStateException.class, l::writeUnlock);
            l.writeLock();
            l.writeLock(); // re-entrant write
            l.readLock();  // the writer may read
            Coro<Boolean> other = Coro.spawn("other", () -> l.tryReadLock() || l.tryWriteLock());
            assertFalse(other.join(), "another coro got into a write-locked RwLock");
            l.readUnlock();
            l.writeUnlock();
            l.writeUnlock();
            assertFalse(l.isWriteLocked());
            assertEquals(0, l.readers());
            return null;
        });
    }

    @Test
    public void timedWait_writeLockTimesOutAndLeavesTheQueue() {
        runVirtual(() -> {
            RwLock l = new RwLock();
            l.readLock();
            Coro.spawn("W", () -> logged("W", () -> l.writeLock(ms(5)))).join();
            assertEquals(0, l.waiting());
            assertTrue(Coro.spawn("R", l::tryReadLock).join(), "a reader is held back by a writer that timed out");
            return null;
        });
        assertEquals(List.of("W timeout@5"), trace);
    }

    private void unlockRacingWithTimeout(boolean unlockTimerFirst) {
        runVirtual(() -> {
            RwLock l = new RwLock();
            l.writeLock();
            Coro<Void> a = Coro.spawn("A", () -> logged("A", () -> l.writeLock(ms(10))));
            Coro<Void> b = writer(l, "B", 0);
            if (!unlockTimerFirst) {
                settle();
            }
            sleep(10);
            l.writeUnlock();
            a.join();
            b.join();
            assertFalse(l.isWriteLocked(), "the lock stayed write-locked");
            return null;
        });
        assertTrue(trace.contains("A timeout@10"), trace.toString());
        assertTrue(trace.contains("B writes@10"), "B lost the lock: " + trace);
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
    public void noLostWakeup_interruptOfAWaitingWriterAtTheHeadAdmitsTheReadersBehindIt() {
        runVirtual(() -> {
            RwLock l = new RwLock();
            l.readLock();
            Coro<Void> w = writer(l, "W", 0);
            Coro<Void> r = reader(l, "R", 0);
            settle();
            assertEquals(2, l.waiting());
            w.interrupt("stop");
            w.join();
            r.join();
            l.readUnlock();
            return null;
        });
        assertEquals(List.of("W interrupted(stop)@0", "R reads@0", "R ok@0"), trace);
    }

    @Test
    public void noLostWakeup_interruptAfterTheHandOffBeforeTheWriterRan() {
        runVirtual(() -> {
            RwLock l = new RwLock();
            l.writeLock();
            Coro<Void> w = writer(l, "W", 0);
            Coro<Void> r = reader(l, "R", 0);
            settle();
            l.writeUnlock(); // hands the lock to W
            assertTrue(l.isWriteLocked());
            w.interrupt("stop"); // W leaves before it ran: R must get in
            w.join();
            r.join();
            assertFalse(l.isWriteLocked());
            return null;
        });
        assertEquals(List.of("W interrupted(stop)@0", "R reads@0", "R ok@0"), trace);
    }
}
