package dev.coro.loomswitch;

import dev.coro.Coro;
import dev.coro.CoroTimeoutException;
import dev.coro.Scheduler;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** loom only: JDK blocking calls park just the calling coro, and wake-ups from JDK threads come back. */
class LoomBlockingTest {
    private final List<String> trace = new java.util.concurrent.CopyOnWriteArrayList<>();

    private Scheduler loom() {
        return Scheduler.builder().switcher("loom").build();
    }

    @Test
    void threadSleepParksOnlyThatCoro() {
        loom().run(() -> {
            Coro<?> sleeper = Coro.spawn("sleeper", () -> {
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
                trace.add("sleeper woke");
            });
            Coro<?> other = Coro.spawn("other", () -> trace.add("other ran"));
            other.join();
            sleeper.join();
            return null;
        });
        assertEquals(List.of("other ran", "sleeper woke"), trace);
    }

    @Test
    void blockingQueueFedByAnotherThreadWakesTheCoro() {
        LinkedBlockingQueue<String> q = new LinkedBlockingQueue<>();
        String got = loom().run(() -> {
            Coro<String> taker = Coro.spawn("taker", () -> q.take());
            Coro.yieldSlice(); // the taker is parked in take() now
            Thread.ofPlatform().start(() -> q.add("from another thread"));
            return taker.join();
        });
        assertEquals("from another thread", got);
    }

    @Test
    void reentrantLockHandsOffBetweenCoros() {
        ReentrantLock lock = new ReentrantLock();
        loom().run(() -> {
            Coro<?> holder = Coro.spawn("holder", () -> {
                lock.lock();
                try {
                    Coro.sleep(Duration.ofMillis(5)); // a coro switch while holding a j.u.c lock
                    trace.add("holder done");
                } finally {
                    lock.unlock();
                }
            });
            Coro<?> waiter = Coro.spawn("waiter", () -> {
                lock.lock(); // parks the waiter's virtual thread, not the scheduler
                try {
                    trace.add("waiter got lock");
                } finally {
                    lock.unlock();
                }
            });
            holder.join();
            waiter.join();
            return null;
        });
        assertEquals(List.of("holder done", "waiter got lock"), trace);
    }

    @Test
    void withTimeoutInterruptsABlockingJdkCall() {
        LinkedBlockingQueue<String> never = new LinkedBlockingQueue<>();
        loom().run(() -> {
            assertThrows(CoroTimeoutException.class,
                    () -> Coro.withTimeout(Duration.ofMillis(20), () -> never.poll(1, TimeUnit.DAYS)));
            assertTrue(!Thread.currentThread().isInterrupted(), "interrupt status left set");
            Coro.sleep(Duration.ofMillis(1)); // and the coro goes on normally
            return null;
        });
    }
}
