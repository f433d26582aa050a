package dev.coro.tck.sync;

import dev.coro.NotInCoroException;
import dev.coro.sync.CondVar;
import dev.coro.sync.Fifo;
import dev.coro.sync.InvertedSemaphore;
import dev.coro.sync.Mutex;
import dev.coro.sync.RwLock;
import dev.coro.sync.Semaphore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Binding of primitives to one scheduler run, and bad arguments, for every primitive. *
 * <p>Rules checked ({@link dev.coro.tck.Rule}): {@code binding} (SPEC.md#api), {@code badInput} (SPEC.md#reliability).
 */
public abstract class SyncBindingVerification extends SyncVerificationBase {

    private static void assertMessage(Class<? extends Throwable> type, Executable call, String... parts) {
        Throwable e = assertThrows(type, call);
        for (String p : parts) {
            assertTrue(e.getMessage() != null && e.getMessage().contains(p),
                    "message should name '" + p + "': " + e.getMessage());
        }
    }

    @Test
    public void binding_newNeedsNoSchedulerButWaitsOutsideACoroAreAClearError() {
        Mutex m = new Mutex();
        CondVar cv = new CondVar();
        Semaphore s = new Semaphore(1);
        InvertedSemaphore inv = new InvertedSemaphore();
        RwLock rw = new RwLock();
        Fifo<String> f = new Fifo<>();
        assertMessage(NotInCoroException.class, m::lock, "Mutex.lock");
        assertMessage(NotInCoroException.class, cv::await, "CondVar.await");
        assertMessage(NotInCoroException.class, () -> cv.wakeOne("x"), "CondVar.wakeOne");
        assertMessage(NotInCoroException.class, s::acquire, "Semaphore.acquire");
        assertMessage(NotInCoroException.class, inv::awaitZero, "InvertedSemaphore.awaitZero");
        assertMessage(NotInCoroException.class, rw::readLock, "RwLock.readLock");
        assertMessage(NotInCoroException.class, f::pop, "Fifo.pop");
        assertMessage(NotInCoroException.class, () -> f.offer("x"), "Fifo.offer", "pushFromAnyThread");
    }

    @Test
    public void binding_useFromAnotherSchedulerRunIsAClearError() {
        Mutex m = new Mutex();
        CondVar cv = new CondVar();
        Fifo<String> f = new Fifo<>();
        runVirtual(() -> {
            m.lock();
            m.unlock();
            cv.wakeAll(null);
            f.push("x");
            return null;
        });
        runVirtual(() -> {
            assertMessage(IllegalStateException.class, m::lock, "Mutex.lock", "another scheduler run");
            assertMessage(IllegalStateException.class, () -> cv.wakeOne(null), "CondVar.wakeOne", "another scheduler run");
            assertMessage(IllegalStateException.class, f::pop, "Fifo.pop", "another scheduler run");
            return null;
        });
    }

    @Test
    public void badInput_negativeCountsNullsAndNegativeTimeoutsAreRejected() {
        assertMessage(IllegalArgumentException.class, () -> new Semaphore(-1), "initial permits", "-1");
        assertMessage(IllegalArgumentException.class, () -> new Semaphore(1, -1), "capacity");
        assertMessage(IllegalArgumentException.class, () -> new Semaphore(-1, 2), "available permits");
        assertMessage(IllegalArgumentException.class, () -> new Semaphore(3, 2), "exceed");
        assertMessage(IllegalArgumentException.class, () -> new Fifo<String>(0), "capacity");
        assertMessage(IllegalArgumentException.class, () -> new InvertedSemaphore(-1), "negative");
        runVirtual(() -> {
            Semaphore s = new Semaphore(2);
            assertMessage(IllegalArgumentException.class, () -> s.acquire(-1), "permits to acquire");
            assertMessage(IllegalArgumentException.class, () -> s.release(-1), "permits to release");
            assertMessage(IllegalArgumentException.class, () -> s.acquire(1, Duration.ofMillis(-1)), "negative");
            assertMessage(NullPointerException.class, () -> s.acquire(1, null), "timeout");
            CondVar cv = new CondVar();
            assertMessage(IllegalArgumentException.class, () -> cv.wakeN(-1, null), "wakeN count");
            assertMessage(NullPointerException.class, () -> cv.raiseAll(null), "exception");
            assertMessage(IllegalArgumentException.class, () -> cv.await(Duration.ofSeconds(-1)), "negative");
            Fifo<String> f = new Fifo<>();
            assertMessage(NullPointerException.class, () -> f.push(null), "item");
            assertMessage(NullPointerException.class, () -> f.pushFromAnyThread(null), "item");
            assertMessage(NullPointerException.class, () -> f.pop(null), "timeout");
            InvertedSemaphore inv = new InvertedSemaphore();
            assertMessage(IllegalArgumentException.class, () -> inv.acquire(-2), "negative");
            Mutex m = new Mutex();
            assertMessage(IllegalArgumentException.class, () -> m.lock(Duration.ofMillis(-5)), "negative");
            RwLock rw = new RwLock();
            assertMessage(NullPointerException.class, () -> rw.writeLock(null), "timeout");
            return null;
        });
    }
}
