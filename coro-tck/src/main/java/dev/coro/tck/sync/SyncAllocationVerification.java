package dev.coro.tck.sync;

import dev.coro.sync.CondVar;
import dev.coro.sync.CoroLocal;
import dev.coro.sync.Fifo;
import dev.coro.sync.InvertedSemaphore;
import dev.coro.sync.Mutex;
import dev.coro.sync.RwLock;
import dev.coro.sync.Semaphore;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The uncontended paths of dev.coro.sync allocate nothing: no message is built, no lambda captured,
 * nothing boxed unless an error is thrown or a coro has to wait. Measured with the JVM's per-thread
 * allocation counter ({@code com.sun.management.ThreadMXBean.getThreadAllocatedBytes}), which counts
 * the bytes one thread allocates exactly: no timing is involved. Code that allocates nothing reads 0
 * interpreted or compiled alike (checked with -Xint, C1 only and C2 only), while an allocation on the
 * path shows in every mode (escape analysis removes some of it at most), so the result does not
 * depend on how warm the JIT is.
 *
 * <p>The counter read is the scheduler's OS thread: a native coro runs on it, and a loom coro's
 * virtual thread has it as its only carrier, whose counter is the one that grows. A warm-up round
 * first takes class loading and first-use binding out of the measurement.
 *
 * <p>Rules checked ({@link dev.coro.tck.Rule}): {@code noAllocation} (SPEC.md#api).
 */
public abstract class SyncAllocationVerification extends SyncVerificationBase {
    /**
     * Operations measured per test. The JVM itself allocates a few hundred bytes now and then on this
     * thread (a compilation or deoptimisation landing mid-loop), once, not per operation: measured
     * over this many operations, that stays far below the bound while a single 16-byte object per
     * operation would exceed it 16-fold.
     */
    static final int OPS = 100_000;
    /** Well under one byte per operation on average: 0.1 (before the fix: 40–260 bytes per operation). */
    static final long MAX_BYTES = OPS / 10;
    /** For the timed variants, which need no wait here: made once, so the test allocates nothing itself. */
    private static final Duration TIMEOUT = Duration.ofSeconds(1);

    private static com.sun.management.ThreadMXBean threads() {
        java.lang.management.ThreadMXBean t = ManagementFactory.getThreadMXBean();
        assumeTrue(t instanceof com.sun.management.ThreadMXBean, "no com.sun.management.ThreadMXBean in this JVM");
        com.sun.management.ThreadMXBean sun = (com.sun.management.ThreadMXBean) t;
        assumeTrue(sun.isThreadAllocatedMemorySupported(), "per-thread allocation counting is not supported");
        if (!sun.isThreadAllocatedMemoryEnabled()) {
            sun.setThreadAllocatedMemoryEnabled(true);
        }
        return sun;
    }

    /** Runs {@code op} OPS times in one coro (after a warm-up round) and returns the bytes the scheduler thread allocated meanwhile. */
    private long allocatedBy(Runnable op) {
        com.sun.management.ThreadMXBean mx = threads();
        long schedulerThread = Thread.currentThread().threadId(); // run(...) runs the loop on this thread
        return runVirtual(() -> {
            for (int i = 0; i < OPS; i++) {
                op.run();
            }
            long before = mx.getThreadAllocatedBytes(schedulerThread);
            for (int i = 0; i < OPS; i++) {
                op.run();
            }
            long after = mx.getThreadAllocatedBytes(schedulerThread);
            assertTrue(before >= 0 && after >= 0, "the allocation counter of the scheduler thread is unavailable");
            return after - before;
        });
    }

    private void assertAllocationFree(String what, Runnable op) {
        long bytes = allocatedBy(op);
        System.out.printf("%d x %s: %d bytes allocated%n", OPS, what, bytes);
        assertTrue(bytes <= MAX_BYTES, String.format("%d x %s allocated %d bytes (%.2f per operation, at most %.2f "
                + "allowed): something on the uncontended path allocates", OPS, what, bytes, (double) bytes / OPS,
                (double) MAX_BYTES / OPS));
    }

    @Test
    public void noAllocation_uncontendedMutexLockUnlock() {
        Mutex m = new Mutex();
        assertAllocationFree("Mutex lock+unlock", () -> {
            m.lock();
            m.unlock();
        });
    }

    @Test
    public void noAllocation_uncontendedReentrantMutexAndTryLock() {
        Mutex m = new Mutex();
        assertAllocationFree("Mutex tryLock+lock+lock(timeout)+3 unlocks", () -> {
            m.tryLock();
            m.lock();
            m.lock(TIMEOUT);
            m.unlock();
            m.unlock();
            m.unlock();
        });
    }

    @Test
    public void noAllocation_uncontendedSemaphoreAcquireRelease() {
        Semaphore s = new Semaphore(1);
        assertAllocationFree("Semaphore acquire+tryAcquire+release and timed acquire+release", () -> {
            s.acquire();
            s.tryAcquire(0);
            s.release();
            s.acquire(1, TIMEOUT);
            s.release(1);
        });
    }

    @Test
    public void noAllocation_uncontendedFifoPushPop() {
        Fifo<Object> unbounded = new Fifo<>();
        Fifo<Object> bounded = new Fifo<>(1);
        Object item = new Object();
        assertAllocationFree("Fifo push+pop (unbounded and bounded) and offer+poll", () -> {
            unbounded.push(item);
            unbounded.pop();
            bounded.push(item);
            bounded.pop();
            bounded.offer(item);
            bounded.poll();
            bounded.push(item, TIMEOUT);
            bounded.pop(TIMEOUT);
        });
    }

    @Test
    public void noAllocation_uncontendedRwLockReadAndWrite() {
        RwLock rw = new RwLock();
        assertAllocationFree("RwLock read and write lock+unlock, plain and timed", () -> {
            rw.readLock();
            rw.readUnlock();
            rw.writeLock();
            rw.writeUnlock();
            rw.readLock(TIMEOUT);
            rw.readUnlock();
            rw.writeLock(TIMEOUT);
            rw.writeUnlock();
        });
    }

    @Test
    public void noAllocation_condVarWakeWithNobodyWaitingAndInvertedSemaphore() {
        CondVar cv = new CondVar();
        InvertedSemaphore inv = new InvertedSemaphore();
        assertAllocationFree("CondVar wakeOne/wakeAll (nobody waiting) and InvertedSemaphore acquire+release+awaitZero (plain and timed)",
                () -> {
                    cv.wakeOne(null);
                    cv.wakeAll(null);
                    inv.acquire();
                    inv.release();
                    inv.awaitZero();
                    inv.awaitZero(TIMEOUT);
                });
    }

    @Test
    public void noAllocation_coroLocalGetAndSet() {
        CoroLocal<Object> local = CoroLocal.withInitial(Object::new);
        Object value = new Object();
        assertAllocationFree("CoroLocal set+get+isPresent", () -> {
            local.set(value);
            local.get();
            local.isPresent();
        });
    }
}
