package dev.coro.loomswitch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coro.spi.Coroutine;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.Test;

class NoThreadsLeftTest {

    @Test
    void afterCloseNoThreadOfOursRemains() {
        Set<Thread> before = new HashSet<>(Thread.getAllStackTraces().keySet());
        List<Coroutine> cs = new ArrayList<>();
        try (Harness h = new Harness()) {
            ReentrantLock lock = new ReentrantLock();
            Object monitor = new Object();
            for (int i = 0; i < 50; i++) {
                int k = i;
                cs.add(h.spawn("leakcheck-" + i, () -> {
                    h.suspend();
                    try {
                        Thread.sleep(k % 3);
                    } catch (InterruptedException e) {
                        throw new AssertionError(e);
                    }
                    lock.lock();
                    lock.unlock();
                    synchronized (monitor) {
                        Thread.yield();
                    }
                }));
            }
            for (Coroutine c : cs) {
                h.resume(c);
            }
            for (Coroutine c : cs) {
                h.runToDone(c);
            }
        }
        for (Coroutine c : cs) {
            assertTrue(c.isDone());
            assertFalse(Harness.threadOf(c).isAlive(), c.name() + "'s virtual thread ended");
        }
        // The backend starts no platform thread. The JDK may have started its own helpers for timed
        // parks and monitors (VirtualThread-unparker/-unblocker): JVM-wide daemons, not ours.
        List<String> ours = Thread.getAllStackTraces().keySet().stream()
                .filter(t -> !before.contains(t) && t.isAlive())
                .map(Thread::getName)
                .filter(n -> !n.startsWith("VirtualThread-"))
                .toList();
        assertEquals(List.of(), ours, "threads started during the test and still alive");
    }
}
