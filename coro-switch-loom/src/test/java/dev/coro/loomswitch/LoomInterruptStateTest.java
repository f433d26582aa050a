package dev.coro.loomswitch;

import dev.coro.Coro;
import dev.coro.CoroInterruptedException;
import dev.coro.CoroShutdownException;
import dev.coro.CoroTimeoutException;
import dev.coro.Scheduler;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * loom only: interrupts of a coro inside a JDK call (its BLOCKED state, its pending interrupt and its
 * thread's interrupt flag), and coros abandoned in a JDK call at the end of a run. Each test is
 * named after the SPEC.md §3 rule it protects.
 */
class LoomInterruptStateTest {

    private static Scheduler loom() {
        return Scheduler.builder().switcher("loom").build();
    }

    /** Yields until {@code t} is queued on {@code lock} (it is then parked in lock()). */
    private static void awaitQueued(ReentrantLock lock, AtomicReference<Thread> t) {
        for (int i = 0; !(t.get() != null && lock.hasQueuedThread(t.get())); i++) {
            assertTrue(i < 1_000_000, "the coro never queued on the lock");
            Coro.yieldSlice();
        }
    }

    @Test
    void rule6_anInterruptThatReachedAnUninterruptibleJdkCallLeavesNoInterruptFlagBehind() {
        // The coro is interrupted while parked in ReentrantLock.lock(), which ignores it (and re-asserts
        // the flag when it returns). The interrupt is raised at its next suspension point; after that
        // the thread's flag must be clear, or an unrelated Thread.sleep later fails.
        ReentrantLock lock = new ReentrantLock();
        AtomicReference<Thread> coroThread = new AtomicReference<>();
        String outcome = loom().run(() -> {
            lock.lock(); // main's virtual thread holds it
            Coro<String> c = Coro.spawn("locker", () -> {
                coroThread.set(Thread.currentThread());
                lock.lock();
                lock.unlock();
                try {
                    Coro.yieldSlice();
                    return "the interrupt was lost";
                } catch (CoroInterruptedException e) {
                    assertEquals("stop", e.value());
                }
                assertFalse(Thread.currentThread().isInterrupted(), "interrupt flag left set");
                Thread.sleep(1); // would throw InterruptedException with a stale flag
                return "clean";
            });
            awaitQueued(lock, coroThread);
            c.interrupt("stop");
            lock.unlock();
            return c.join();
        });
        assertEquals("clean", outcome);
    }

    @Test
    void rule5_aTimeoutLeavingAnUninterruptibleJdkCallLeavesNoInterruptFlagBehind() {
        // As above, but the interrupt is a timebomb whose withTimeout body then returns normally:
        // leaving the frame drops the bomb, and must drop the flag with it.
        ReentrantLock lock = new ReentrantLock();
        AtomicReference<Thread> coroThread = new AtomicReference<>();
        CountDownLatch bombFired = new CountDownLatch(1);
        String outcome = loom().run(() -> {
            lock.lock();
            Coro<String> c = Coro.spawn("locker", () -> {
                coroThread.set(Thread.currentThread());
                String r = Coro.withTimeout(Duration.ofMillis(1), () -> {
                    lock.lock(); // the timebomb goes off in here; lock() ignores it
                    lock.unlock();
                    return "returned";
                });
                assertFalse(Thread.currentThread().isInterrupted(), "interrupt flag left set");
                Thread.sleep(1);
                return r;
            });
            awaitQueued(lock, coroThread);
            // Wait (on the coro clock) until the 1 ms timebomb has gone off into lock().
            for (int i = 0; !coroThread.get().isInterrupted(); i++) {
                assertTrue(i < 100_000, "the timebomb never interrupted the JDK call");
                Coro.sleep(Duration.ofMillis(1));
            }
            bombFired.countDown();
            lock.unlock();
            return c.join();
        });
        assertEquals(0, bombFired.getCount());
        assertEquals("returned", outcome);
    }

    @Test
    void rule5_anOuterTimeoutSurfacingThroughAJdkCallTimesOutOnlyTheOuterFrame() {
        CountDownLatch never = new CountDownLatch(1);
        AtomicReference<Throwable> inner = new AtomicReference<>();
        loom().run(() -> {
            CoroTimeoutException e = assertThrows(CoroTimeoutException.class,
                    () -> Coro.withTimeout(Duration.ofMillis(20), () -> {
                        try {
                            return Coro.withTimeout(Duration.ofDays(1), () -> never.await(1, TimeUnit.DAYS));
                        } catch (RuntimeException passing) {
                            inner.set(passing); // what passed through the inner frame
                            throw passing;
                        }
                    }));
            assertTrue(e.getMessage().contains("PT0.02S"), e.getMessage());
            return null;
        });
        assertInstanceOf(CoroInterruptedException.class, inner.get(),
                "the outer timebomb must pass the inner frame as a CoroInterruptedException, not " + inner.get());
    }

    @Test
    void rule6_anInterruptSurfacingThroughAJdkCallReachesTheJoinerAsItself() {
        java.util.concurrent.Semaphore never = new java.util.concurrent.Semaphore(0);
        AtomicReference<Thread> coroThread = new AtomicReference<>();
        Throwable failure = loom().run(() -> {
            Coro<Object> c = Coro.spawn("acquirer", () -> {
                coroThread.set(Thread.currentThread());
                never.acquire(); // throws InterruptedException out of the body
                return null;
            });
            for (int i = 0; !(coroThread.get() != null && never.hasQueuedThreads()); i++) {
                assertTrue(i < 1_000_000, "the coro never blocked");
                Coro.yieldSlice();
            }
            c.interrupt("stop!");
            return assertThrows(RuntimeException.class, c::join);
        });
        CoroInterruptedException e = assertInstanceOf(CoroInterruptedException.class, failure,
                "interrupt(\"stop!\") must reach the joiner as itself, not " + failure);
        assertEquals("stop!", e.value());
    }

    @Test
    void rule10_virtualTimeWaitsForAJdkSleep() {
        String v = Scheduler.builder().switcher("loom").virtualTime().build().run(() -> {
            String r = Coro.withTimeout(Duration.ofSeconds(30), () -> {
                Thread.sleep(50); // real time, in a JDK call: the virtual clock must wait for it
                return "slept";
            });
            assertTrue(Coro.now() < 30_000_000_000L, "the virtual clock jumped to the timebomb");
            return r;
        });
        assertEquals("slept", v);
    }

    @Test
    void rule8_aCoroAbandonedInAJdkLockStillTakesItsHandOffAndReleasesIt() throws Exception {
        // The test thread holds the lock across the run; a coro and then a platform thread queue on
        // it. lock() ignores the shutdown, so the coro is abandoned when the run ends. When the lock
        // is released afterwards, the JDK hands it to the coro's virtual thread: it must run (not be
        // dropped with the closed backend), unwind through its finally and pass the lock on.
        ReentrantLock lock = new ReentrantLock();
        AtomicReference<Thread> coroThread = new AtomicReference<>();
        AtomicBoolean coroSawShutdown = new AtomicBoolean();
        AtomicBoolean platformGotIt = new AtomicBoolean();
        lock.lock();
        Thread platform = Thread.ofPlatform().unstarted(() -> {
            try {
                if (lock.tryLock(20, TimeUnit.SECONDS)) {
                    platformGotIt.set(true);
                    lock.unlock();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        Scheduler s = loom();
        s.run(() -> {
            Coro.spawn("locker", () -> {
                coroThread.set(Thread.currentThread());
                lock.lock();
                try {
                    Coro.yieldSlice(); // the run has ended by now: every coro operation throws
                } catch (CoroShutdownException e) {
                    coroSawShutdown.set(true);
                    throw e;
                } finally {
                    lock.unlock();
                }
            });
            awaitQueued(lock, coroThread);
            platform.start();
            for (int i = 0; lock.getQueueLength() < 2; i++) {
                assertTrue(i < 100_000, "the platform thread never queued");
                Coro.sleep(Duration.ofMillis(1));
            }
            return null; // the run ends with the locker still parked in lock()
        });
        assertEquals(1, s.stats().liveCoros(), "the locker should have been abandoned");
        lock.unlock();
        platform.join(30_000);
        assertTrue(platformGotIt.get(), "the lock hand-off to the abandoned coro was swallowed: "
                + "the platform thread queued behind it never got the lock");
        assertTrue(coroSawShutdown.get(), "the abandoned coro should have unwound with CoroShutdownException");
    }
}
