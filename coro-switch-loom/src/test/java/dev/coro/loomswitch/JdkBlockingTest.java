package dev.coro.loomswitch;

import static dev.coro.spi.ResumeOutcome.BLOCKED;
import static dev.coro.spi.ResumeOutcome.DONE;
import static dev.coro.spi.ResumeOutcome.SUSPENDED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coro.spi.Coroutine;
import dev.coro.spi.ResumeOutcome;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.Test;

/** JDK blocking calls inside a coroutine park only that coroutine; the JDK's wake-up comes back as host.wakeup. */
class JdkBlockingTest {

    @Test
    void sleepBlocksOnlyThatCoroutine() {
        try (Harness h = new Harness()) {
            List<String> log = new ArrayList<>();
            Coroutine a = h.spawn("sleeper", () -> {
                log.add("a sleeps");
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
                log.add("a woke");
            });
            Coroutine b = h.spawn("runner", () -> log.add("b ran"));
            assertEquals(BLOCKED, h.resume(a));
            assertTrue(SwitchBasicsTest.hasFrame(a.stackTrace(), "sleep"), "blocked in sleep");
            assertEquals(DONE, h.resume(b));
            assertEquals(List.of("a sleeps", "b ran"), log);
            Harness.Wakeup w = h.awaitWakeupOf(a);
            assertNotSame(h.thread, w.by(), "the timed unpark comes from a JDK thread");
            assertEquals(DONE, h.resume(a));
            assertEquals(List.of("a sleeps", "b ran", "a woke"), log);
        }
    }

    @Test
    void reentrantLockHandoffBetweenCoroutines() {
        try (Harness h = new Harness()) {
            ReentrantLock lock = new ReentrantLock();
            List<String> log = new ArrayList<>();
            Coroutine a = h.spawn("holder", () -> {
                lock.lock();
                try {
                    log.add("a locked");
                    h.suspend();
                    log.add("a unlocks");
                } finally {
                    lock.unlock();
                }
            });
            Coroutine b = h.spawn("waiter", () -> {
                log.add("b tries");
                lock.lock();
                try {
                    log.add("b locked");
                } finally {
                    lock.unlock();
                }
            });
            assertEquals(SUSPENDED, h.resume(a));
            assertEquals(BLOCKED, h.resume(b));
            assertEquals(DONE, h.resume(a)); // unlock unparks b: a re-entrant execute on this thread
            Harness.Wakeup w = h.awaitWakeupOf(b);
            assertSame(Harness.threadOf(a), w.by(), "b's wake-up came from a, running on the scheduler thread");
            assertEquals(DONE, h.resume(b));
            assertEquals(List.of("a locked", "b tries", "a unlocks", "b locked"), log);
        }
    }

    @Test
    void blockingQueueTakeFedByAnotherOsThread() throws Exception {
        try (Harness h = new Harness()) {
            LinkedBlockingQueue<String> q = new LinkedBlockingQueue<>();
            String[] got = {null};
            Coroutine a = h.spawn("taker", () -> {
                try {
                    got[0] = q.take();
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
            });
            assertEquals(BLOCKED, h.resume(a));
            Thread producer = Thread.ofPlatform().name("test-producer").start(() -> q.add("hello"));
            Harness.Wakeup w = h.awaitWakeupOf(a);
            assertSame(producer, w.by());
            assertEquals(DONE, h.resume(a));
            assertEquals("hello", got[0]);
            assertTrue(producer.join(java.time.Duration.ofSeconds(Harness.WAIT_SECONDS)), "producer ended");
        }
    }

    @Test
    void monitorEnterBlocksAndIsUnblockedThroughOurExecutor() {
        try (Harness h = new Harness()) {
            Object lock = new Object();
            List<String> log = new ArrayList<>();
            Coroutine a = h.spawn("monitor-holder", () -> {
                synchronized (lock) {
                    log.add("a in");
                    h.suspend(); // JEP 491: a virtual thread can unmount holding a monitor
                    log.add("a out");
                }
            });
            Coroutine b = h.spawn("monitor-waiter", () -> {
                log.add("b tries");
                synchronized (lock) {
                    log.add("b in");
                }
            });
            assertEquals(SUSPENDED, h.resume(a));
            assertEquals(BLOCKED, h.resume(b));
            assertEquals(Thread.State.BLOCKED, Harness.threadOf(b).getState());
            assertEquals(DONE, h.resume(a));
            Harness.Wakeup w = h.awaitWakeupOf(b); // typically from the JDK's VirtualThread-unblocker
            assertNotNull(w.by());
            assertEquals(DONE, h.resume(b));
            assertEquals(List.of("a in", "b tries", "a out", "b in"), log);
        }
    }

    @Test
    void objectWaitAndNotifyBetweenCoroutines() {
        try (Harness h = new Harness()) {
            Object lock = new Object();
            boolean[] ready = {false};
            List<String> log = new ArrayList<>();
            Coroutine waiter = h.spawn("waiter", () -> {
                synchronized (lock) {
                    while (!ready[0]) {
                        try {
                            lock.wait();
                        } catch (InterruptedException e) {
                            throw new AssertionError(e);
                        }
                    }
                    log.add("waiter saw ready");
                }
            });
            Coroutine notifier = h.spawn("notifier", () -> {
                synchronized (lock) {
                    ready[0] = true;
                    lock.notifyAll();
                    log.add("notified");
                }
            });
            assertEquals(BLOCKED, h.resume(waiter));
            assertEquals(DONE, h.resume(notifier));
            h.runToDone(waiter);
            assertEquals(List.of("notified", "waiter saw ready"), log);
        }
    }

    @Test
    void interruptBlockedEndsASleep() {
        try (Harness h = new Harness()) {
            boolean[] interrupted = {false};
            Coroutine a = h.spawn("long-sleeper", () -> {
                try {
                    Thread.sleep(TimeUnit.HOURS.toMillis(1));
                } catch (InterruptedException e) {
                    interrupted[0] = true;
                }
            });
            assertEquals(BLOCKED, h.resume(a));
            h.backend.interruptBlocked(a);
            h.awaitWakeupOf(a);
            assertEquals(DONE, h.resume(a));
            assertTrue(interrupted[0], "Thread.sleep threw InterruptedException");
        }
    }

    @Test
    void interruptBlockedLeavesASuspendedCoroutineAlone() {
        try (Harness h = new Harness()) {
            boolean[] flag = {true};
            Coroutine a = h.spawn("suspended", () -> {
                h.suspend();
                flag[0] = Thread.currentThread().isInterrupted();
            });
            assertEquals(SUSPENDED, h.resume(a));
            h.backend.interruptBlocked(a);
            assertEquals(DONE, h.resume(a));
            assertFalse(flag[0], "a suspended coroutine is not interrupted");
        }
    }

    @Test
    void threadYieldIsABlockWithAnImmediateWakeup() {
        try (Harness h = new Harness()) {
            int[] steps = {0};
            Coroutine a = h.spawn("yielder", () -> {
                steps[0]++;
                Thread.yield();
                steps[0]++;
            });
            assertEquals(BLOCKED, h.resume(a));
            assertEquals(1, steps[0]);
            Harness.Wakeup w = h.wakeups.poll(); // sent re-entrantly, before resume returned
            assertNotNull(w, "wake-up already queued");
            assertSame(a, w.coroutine());
            assertEquals(DONE, h.resume(a));
            assertEquals(2, steps[0]);
        }
    }

    @Test
    void aStaleTaskIsANoOpAndADuplicateWakeupReportsBlocked() {
        try (Harness h = new Harness()) {
            ReentrantLock lock = new ReentrantLock();
            boolean[] progressed = {false};
            Coroutine a = h.spawn("stale", () -> {
                h.suspend();
                lock.lock();
                try {
                    progressed[0] = true;
                } finally {
                    lock.unlock();
                }
            });
            assertEquals(SUSPENDED, h.resume(a));
            Runnable stale = ((LoomCoroutine) a).peekTask();
            assertNotNull(stale, "a suspended coroutine's task is stored");
            lock.lock(); // held by the test thread: a will park in lock()
            try {
                assertEquals(BLOCKED, h.resume(a));
                stale.run(); // the JDK ignores it: the virtual thread is parked, not runnable
                assertFalse(progressed[0]);
                assertEquals(Thread.State.WAITING, Harness.threadOf(a).getState());
                assertEquals(BLOCKED, h.resume(a), "a resume without a task (duplicate wake-up) runs nothing");
                assertFalse(progressed[0]);
                assertNull(h.wakeups.poll());
            } finally {
                lock.unlock(); // unparks a: the wake-up comes from this thread
            }
            h.runToDone(a);
            assertTrue(progressed[0]);
        }
    }

    /** Many coroutines, each taking values fed by several OS threads: no wake-up may be lost. */
    @Test
    void noLostWakeupsUnderConcurrentFeeding() throws Exception {
        int coros = 2_000;
        int values = 5;
        int producers = 4;
        try (Harness h = new Harness()) {
            List<LinkedBlockingQueue<Integer>> queues = new ArrayList<>();
            int[] sums = new int[coros];
            List<Coroutine> cs = new ArrayList<>();
            for (int i = 0; i < coros; i++) {
                LinkedBlockingQueue<Integer> q = new LinkedBlockingQueue<>();
                queues.add(q);
                int me = i;
                cs.add(h.spawn("taker-" + i, () -> {
                    for (int k = 0; k < values; k++) {
                        try {
                            int v = q.take();
                            assertEquals(k, v % values, "values arrive in order");
                            sums[me] += v;
                        } catch (InterruptedException e) {
                            throw new AssertionError(e);
                        }
                        if (k == 2) {
                            Thread.yield();
                        }
                    }
                }));
            }
            Set<Coroutine> live = new HashSet<>();
            for (Coroutine c : cs) {
                assertEquals(BLOCKED, h.resume(c));
                live.add(c);
            }
            List<Thread> feeders = new ArrayList<>();
            for (int p = 0; p < producers; p++) {
                int first = p;
                feeders.add(Thread.ofPlatform().name("test-feeder-" + p).start(() -> {
                    for (int k = 0; k < values; k++) {
                        for (int i = first; i < coros; i += producers) {
                            queues.get(i).add(i * values + k);
                        }
                    }
                }));
            }
            while (!live.isEmpty()) {
                Coroutine c = h.awaitAnyWakeup().coroutine();
                if (c.isDone()) {
                    continue; // a duplicate wake-up
                }
                ResumeOutcome o = h.resume(c);
                if (o == DONE) {
                    live.remove(c);
                } else {
                    assertEquals(BLOCKED, o);
                }
            }
            for (Thread t : feeders) {
                assertTrue(t.join(java.time.Duration.ofSeconds(Harness.WAIT_SECONDS)), t + " ended");
            }
            for (int i = 0; i < coros; i++) {
                int expected = 0;
                for (int k = 0; k < values; k++) {
                    expected += i * values + k;
                }
                assertEquals(expected, sums[i], "sum of coroutine " + i);
            }
        }
    }
}
