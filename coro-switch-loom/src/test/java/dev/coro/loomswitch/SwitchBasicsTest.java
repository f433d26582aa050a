package dev.coro.loomswitch;

import static dev.coro.spi.ResumeOutcome.BLOCKED;
import static dev.coro.spi.ResumeOutcome.DONE;
import static dev.coro.spi.ResumeOutcome.SUSPENDED;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coro.spi.Coroutine;
import dev.coro.spi.ResumeOutcome;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class SwitchBasicsTest {

    @Test
    void roundTripsUntilDone() {
        try (Harness h = new Harness()) {
            List<String> log = new ArrayList<>();
            Object attachment = new Object();
            Coroutine c = h.backend.create("rt", () -> {
                log.add("start");
                h.suspend();
                log.add("middle");
                h.suspend();
                log.add("end");
            }, attachment);
            assertSame(attachment, c.attachment());
            assertEquals("rt", c.name());
            assertFalse(c.isDone());
            assertTrue(log.isEmpty(), "create must not run the body");
            assertEquals(SUSPENDED, h.resume(c));
            assertEquals(List.of("start"), log);
            assertEquals(SUSPENDED, h.resume(c));
            assertEquals(List.of("start", "middle"), log);
            assertFalse(c.isDone());
            assertEquals(DONE, h.resume(c));
            assertEquals(List.of("start", "middle", "end"), log);
            assertTrue(c.isDone());
            assertTrue(h.wakeups.isEmpty(), "suspend/resume needs no wake-up: " + h.wakeups);
            assertThrows(IllegalStateException.class, () -> h.resume(c), "a done coroutine cannot be resumed");
        }
    }

    @Test
    void interleavesInResumeOrder() {
        try (Harness h = new Harness()) {
            List<String> log = new ArrayList<>();
            List<Coroutine> cs = new ArrayList<>();
            for (String n : List.of("a", "b", "c")) {
                cs.add(h.spawn(n, () -> {
                    for (int i = 0; i < 3; i++) {
                        log.add(n + i);
                        h.suspend();
                    }
                }));
            }
            List<Coroutine> live = new ArrayList<>(cs);
            while (!live.isEmpty()) {
                for (var it = live.iterator(); it.hasNext(); ) {
                    if (h.resume(it.next()) == DONE) {
                        it.remove();
                    }
                }
            }
            assertEquals(List.of("a0", "b0", "c0", "a1", "b1", "c1", "a2", "b2", "c2"), log);
        }
    }

    @Test
    void bodyExceptionIsRethrownByResume() {
        try (Harness h = new Harness()) {
            IllegalStateException boom = new IllegalStateException("boom");
            Coroutine c = h.spawn("thrower", () -> {
                h.suspend();
                throw boom;
            });
            assertEquals(SUSPENDED, h.resume(c));
            IllegalStateException thrown = assertThrows(IllegalStateException.class, () -> h.resume(c));
            assertSame(boom, thrown);
            assertTrue(c.isDone());
            assertFalse(Harness.threadOf(c).isAlive());
        }
    }

    @Test
    void checkedExceptionIsRethrownUnchanged() {
        try (Harness h = new Harness()) {
            IOException io = new IOException("io");
            Coroutine c = h.spawn("sneaky", () -> SwitchBasicsTest.<RuntimeException>sneaky(io));
            IOException thrown = assertThrows(IOException.class, () -> h.resume(c));
            assertSame(io, thrown);
            assertTrue(c.isDone());
        }
    }

    @Test
    void deepStacksSurviveSuspendAndResume() {
        try (Harness h = new Harness()) {
            int depth = 1_000;
            int[] result = {-1};
            Coroutine c = h.spawn("deep", () -> result[0] = recurse(h, depth));
            int suspensions = 0;
            ResumeOutcome o;
            StackTraceElement[] atBottom = null;
            while ((o = h.resume(c)) == SUSPENDED) {
                suspensions++;
                if (suspensions == 11) { // the suspend at depth 0 (after 10 on the way down)
                    atBottom = c.stackTrace();
                }
            }
            assertEquals(DONE, o);
            assertEquals(depth, result[0]);
            // down: n = 1000, 900, ..., 100 (10), bottom (1); up: n = 250, 500, 750, 1000 (4)
            assertEquals(15, suspensions);
            long frames = Arrays.stream(atBottom).filter(e -> e.getMethodName().equals("recurse")).count();
            assertEquals(depth + 1, frames, "recurse frames in the suspended coroutine's stack");
        }
    }

    private static int recurse(Harness h, int n) {
        if (n == 0) {
            h.suspend();
            return 0;
        }
        if (n % 100 == 0) {
            h.suspend();
        }
        int r = recurse(h, n - 1) + 1;
        if (n % 250 == 0) {
            h.suspend();
        }
        return r;
    }

    @Test
    void manyCoroutinesSuspendedAtOnce() {
        int n = 100_000;
        try (Harness h = new Harness()) {
            Runtime rt = Runtime.getRuntime();
            System.gc();
            long heapBefore = rt.totalMemory() - rt.freeMemory();
            int[] started = {0};
            int[] finished = {0};
            Coroutine[] cs = new Coroutine[n];
            for (int i = 0; i < n; i++) {
                cs[i] = h.spawn("many-" + i, () -> {
                    started[0]++;
                    h.suspend();
                    finished[0]++;
                });
            }
            for (Coroutine c : cs) {
                assertEquals(SUSPENDED, h.resume(c));
            }
            assertEquals(n, started[0]);
            System.gc();
            long heapSuspended = rt.totalMemory() - rt.freeMemory();
            System.out.printf("%d suspended loom coroutines: ~%d bytes each (max heap %d MiB)%n",
                    n, (heapSuspended - heapBefore) / n, rt.maxMemory() >> 20);
            for (Coroutine c : cs) {
                assertEquals(DONE, h.resume(c));
            }
            assertEquals(n, finished[0]);
            for (Coroutine c : cs) {
                assertTrue(c.isDone());
                assertFalse(Harness.threadOf(c).isAlive());
            }
            assertTrue(h.wakeups.isEmpty());
        }
    }

    @Test
    void theOnlyCarrierIsTheSchedulerThread() {
        try (Harness h = new Harness()) {
            List<Thread> carriers = new ArrayList<>();
            List<Boolean> virtual = new ArrayList<>();
            Object monitor = new Object();
            Coroutine c = h.spawn("carrier", () -> {
                carriers.add(Harness.currentCarrier());
                virtual.add(Thread.currentThread().isVirtual());
                h.suspend();
                carriers.add(Harness.currentCarrier());
                try {
                    Thread.sleep(1); // unmounts; continues after a wake-up from a JDK thread
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
                carriers.add(Harness.currentCarrier());
                Thread.yield();
                synchronized (monitor) {
                    carriers.add(Harness.currentCarrier());
                }
            });
            assertEquals(SUSPENDED, h.resume(c));
            h.runToDone(c);
            assertEquals(List.of(true), virtual);
            assertEquals(4, carriers.size());
            for (Thread t : carriers) {
                assertSame(h.thread, t, "carrier " + t);
            }
        }
    }

    @Test
    void stackTraceWhileSuspendedRunningAndDone() throws Exception {
        try (Harness h = new Harness()) {
            StackTraceElement[][] own = {null};
            Coroutine[] self = {null};
            Coroutine c = h.spawn("traced", () -> {
                markerFrame(h);
                own[0] = self[0].stackTrace(); // running, asked by itself
            });
            self[0] = c;
            assertEquals(0, c.stackTrace().length, "not started yet");
            assertEquals(SUSPENDED, h.resume(c));
            assertTrue(hasFrame(c.stackTrace(), "markerFrame"), "suspended, asked by the scheduler thread");
            // asked by another OS thread; the JDK then resubmits the task: a duplicate for offer()
            StackTraceElement[] fromOther = CompletableFuture.supplyAsync(c::stackTrace)
                    .get(Harness.WAIT_SECONDS, TimeUnit.SECONDS);
            assertTrue(hasFrame(fromOther, "markerFrame"));
            ResumeOutcome o = h.resume(c);
            assertEquals(DONE, o);
            assertTrue(hasFrame(own[0], "stackTraceWhileSuspendedRunningAndDone"),
                    "own stack " + Arrays.toString(own[0]));
            assertArrayEquals(new StackTraceElement[0], c.stackTrace());
        }
    }

    private static void markerFrame(Harness h) {
        h.suspend();
    }

    static boolean hasFrame(StackTraceElement[] stack, String method) {
        return Arrays.stream(stack).anyMatch(e -> e.getMethodName().contains(method));
    }

    @Test
    void misuseIsReported() throws Exception {
        try (Harness h = new Harness(); Harness other = new Harness()) {
            Coroutine c = h.spawn("misuse", h::suspend);
            // suspend outside any coroutine
            assertThrows(IllegalStateException.class, h::suspend);
            // resume from another OS thread
            Throwable t = CompletableFuture.supplyAsync(() -> {
                try {
                    h.resume(c);
                    return null;
                } catch (Throwable e) {
                    return e;
                }
            }).get(Harness.WAIT_SECONDS, TimeUnit.SECONDS);
            assertTrue(t instanceof IllegalStateException, String.valueOf(t));
            // a coroutine of another backend
            assertThrows(IllegalArgumentException.class, () -> other.backend.resume(c));
            // suspend on the wrong backend, from inside a coroutine
            Throwable[] inner = {null};
            Coroutine d = h.spawn("wrong-backend", () -> {
                try {
                    other.backend.suspend();
                } catch (Throwable e) {
                    inner[0] = e;
                }
            });
            assertEquals(DONE, h.resume(d));
            assertTrue(inner[0] instanceof IllegalStateException, String.valueOf(inner[0]));
            assertEquals(SUSPENDED, h.resume(c));
            assertEquals(DONE, h.resume(c));
        }
    }

    @Test
    void closeIsIdempotentAndAbandonsLateWakeups() throws Exception {
        Harness h = new Harness();
        var q = new java.util.concurrent.LinkedBlockingQueue<String>();
        Coroutine blocked = h.spawn("abandoned", () -> {
            try {
                q.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        assertEquals(BLOCKED, h.resume(blocked));
        h.close();
        h.close();
        // the put unparks it synchronously on this thread: the executor must neither call the
        // closed host nor throw into the JDK
        q.put("late");
        assertNull(h.wakeups.poll(), "no wake-up after close");
        assertThrows(IllegalStateException.class, () -> h.spawn("after-close", () -> { }));
        assertThrows(IllegalStateException.class, () -> h.resume(blocked));
    }

    @SuppressWarnings("unchecked")
    private static <T extends Throwable> void sneaky(Throwable t) throws T {
        throw (T) t;
    }
}
