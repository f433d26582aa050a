package dev.coro.nativeswitch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coro.spi.Coroutine;
import dev.coro.spi.ResumeOutcome;
import dev.coro.spi.SwitchBackend;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SwitchTest {

    private FakeHost host;
    private SwitchBackend backend;

    @BeforeEach
    void open() {
        host = new FakeHost();
        backend = new NativeSwitchProvider().open(host);
    }

    @AfterEach
    void close() {
        backend.close();
        assertEquals(List.of(), host.wakeups, "the native backend never blocks, so never wakes up");
    }

    @Test
    void createdCoroutineHasNotRunYet() {
        List<String> log = new ArrayList<>();
        Object attachment = new Object();
        Coroutine c = backend.create("c", () -> log.add("ran"), attachment);
        assertEquals("c", c.name());
        assertSame(attachment, c.attachment());
        assertFalse(c.isDone());
        assertEquals(List.of(), log);
        assertEquals(ResumeOutcome.DONE, backend.resume(c));
        assertEquals(List.of("ran"), log);
        assertTrue(c.isDone());
    }

    @Test
    void resumeAndSuspendRoundTrips() {
        List<String> log = new ArrayList<>();
        Coroutine c = backend.create("c", () -> {
            for (int i = 0; i < 3; i++) {
                log.add("step " + i);
                backend.suspend();
                log.add("back " + i);
            }
        }, null);
        for (int i = 0; i < 3; i++) {
            assertEquals(ResumeOutcome.SUSPENDED, backend.resume(c));
            assertEquals("step " + i, log.getLast());
            assertFalse(c.isDone());
        }
        assertEquals(ResumeOutcome.DONE, backend.resume(c));
        assertEquals(List.of("step 0", "back 0", "step 1", "back 1", "step 2", "back 2"), log);
        assertTrue(c.isDone());
    }

    @Test
    void severalCoroutinesInterleaveInResumeOrder() {
        List<String> log = new ArrayList<>();
        List<Coroutine> coros = new ArrayList<>();
        for (String name : List.of("a", "b", "c")) {
            coros.add(backend.create(name, () -> {
                for (int i = 0; i < 3; i++) {
                    log.add(name + i);
                    backend.suspend();
                }
            }, null));
        }
        // round robin, but c first and a last, to show that only resume order counts
        List<Coroutine> order = List.of(coros.get(2), coros.get(1), coros.get(0));
        for (int round = 0; round < 3; round++) {
            for (Coroutine c : order) {
                assertEquals(ResumeOutcome.SUSPENDED, backend.resume(c));
            }
        }
        for (Coroutine c : order) {
            assertEquals(ResumeOutcome.DONE, backend.resume(c));
        }
        assertEquals(List.of("c0", "b0", "a0", "c1", "b1", "a1", "c2", "b2", "a2"), log);
    }

    @Test
    void resumingAnEndedCoroutineFails() {
        Coroutine c = backend.create("finished", () -> { }, null);
        assertEquals(ResumeOutcome.DONE, backend.resume(c));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> backend.resume(c));
        assertTrue(e.getMessage().contains("finished") && e.getMessage().contains("ended"), e.getMessage());
    }

    @Test
    void bodyExceptionIsRethrownFromResumeOnceDone() {
        IllegalArgumentException boom = new IllegalArgumentException("boom");
        Coroutine c = backend.create("thrower", () -> {
            backend.suspend();
            throw boom;
        }, null);
        assertEquals(ResumeOutcome.SUSPENDED, backend.resume(c));
        IllegalArgumentException thrown = assertThrows(IllegalArgumentException.class, () -> backend.resume(c));
        assertSame(boom, thrown);
        assertTrue(c.isDone());
        assertEquals(0, c.stackTrace().length);
        // the backend is still usable afterwards
        Coroutine next = backend.create("next", backend::suspend, null);
        assertEquals(ResumeOutcome.SUSPENDED, backend.resume(next));
        assertEquals(ResumeOutcome.DONE, backend.resume(next));
    }

    @Test
    void deepStackSurvivesSuspendAndResume() {
        long[] result = {-1};
        Coroutine c = backend.create("deep", () -> result[0] = recurse(1000), null);
        assertEquals(ResumeOutcome.SUSPENDED, backend.resume(c));
        long frames = List.of(c.stackTrace()).stream().filter(f -> f.getMethodName().equals("recurse")).count();
        assertEquals(1001, frames, "all recursion frames were saved");
        assertEquals(ResumeOutcome.SUSPENDED, backend.resume(c));
        assertEquals(ResumeOutcome.DONE, backend.resume(c));
        assertEquals(1000L * 1001 / 2, result[0], "locals of every frame came back intact");
    }

    private long recurse(int n) {
        if (n == 0) {
            backend.suspend();
            backend.suspend();
            return 0;
        }
        long local = n; // a local per frame that must survive the copy
        return recurse(n - 1) + local;
    }

    @Test
    void hundredThousandSuspendedAtOnceThenAllFinish() {
        int n = 100_000;
        int[] started = {0};
        int[] finished = {0};
        Coroutine[] coros = new Coroutine[n];
        for (int i = 0; i < n; i++) {
            int id = i;
            coros[i] = backend.create("c" + i, () -> {
                started[0]++;
                int mine = id; // on the saved stack
                backend.suspend();
                if (mine == id) {
                    finished[0]++;
                }
            }, null);
        }
        for (Coroutine c : coros) {
            assertEquals(ResumeOutcome.SUSPENDED, backend.resume(c));
        }
        assertEquals(n, started[0]);
        assertEquals(0, finished[0], "all of them are suspended at once");
        for (Coroutine c : coros) {
            assertEquals(ResumeOutcome.DONE, backend.resume(c));
        }
        assertEquals(n, finished[0]);
    }

    @Test
    void suspendOutsideACoroutineIsAClearError() {
        IllegalStateException e = assertThrows(IllegalStateException.class, backend::suspend);
        assertTrue(e.getMessage().contains("outside a coro"), e.getMessage());
    }

    @Test
    void suspendFromAnotherThreadWhileACoroRunsIsRejected() throws InterruptedException {
        AtomicReference<Throwable> fromOtherThread = new AtomicReference<>();
        Coroutine c = backend.create("c", () -> {
            Thread t = Thread.ofPlatform().start(() -> {
                try {
                    backend.suspend();
                } catch (Throwable e) {
                    fromOtherThread.set(e);
                }
            });
            try {
                t.join();
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }, null);
        assertEquals(ResumeOutcome.DONE, backend.resume(c));
        assertInstanceOf(IllegalStateException.class, fromOtherThread.get());
    }

    @Test
    void suspendOnTheWrongBackendIsRejected() {
        try (SwitchBackend other = new NativeSwitchProvider().open(host)) {
            List<String> log = new ArrayList<>();
            // other's coro runs nested inside backend's coro, then asks *backend* to suspend: both
            // backends share one continuation scope, so without the check the wrong coro would yield.
            Coroutine inner = other.create("inner", () -> {
                try {
                    backend.suspend();
                    log.add("switched through the wrong backend");
                } catch (IllegalStateException e) {
                    log.add("rejected");
                }
            }, null);
            Coroutine outer = backend.create("outer", () -> log.add("inner " + other.resume(inner)), null);
            assertEquals(ResumeOutcome.DONE, backend.resume(outer));
            assertEquals(List.of("rejected", "inner DONE"), log);
            assertThrows(IllegalArgumentException.class, () -> other.resume(backend.create("x", () -> { }, null)));
        }
    }

    @Test
    void nestedResumeReturnsToTheResumingCoroutine() {
        List<String> log = new ArrayList<>();
        Coroutine inner = backend.create("inner", () -> {
            log.add("inner 1");
            backend.suspend();
            log.add("inner 2");
        }, null);
        Coroutine outer = backend.create("outer", () -> {
            log.add("outer resumes inner: " + backend.resume(inner));
            backend.suspend();
            log.add("outer resumes inner: " + backend.resume(inner));
        }, null);
        assertEquals(ResumeOutcome.SUSPENDED, backend.resume(outer));
        assertEquals(ResumeOutcome.DONE, backend.resume(outer));
        assertEquals(List.of("inner 1", "outer resumes inner: SUSPENDED", "inner 2", "outer resumes inner: DONE"), log);
    }

    @Test
    void resumeOfARunningCoroutineFails() {
        Coroutine[] self = {null};
        Throwable[] caught = {null};
        self[0] = backend.create("self", () -> {
            try {
                backend.resume(self[0]);
            } catch (IllegalStateException e) {
                caught[0] = e;
            }
        }, null);
        assertEquals(ResumeOutcome.DONE, backend.resume(self[0]));
        assertNotNull(caught[0]);
        assertTrue(caught[0].getMessage().contains("already running"), caught[0].getMessage());
    }

    @Test
    void createAndResumeOffTheSchedulerThreadFail() throws InterruptedException {
        Coroutine c = backend.create("c", () -> { }, null);
        Throwable[] caught = {null, null};
        Thread t = Thread.ofPlatform().start(() -> {
            try {
                backend.create("x", () -> { }, null);
            } catch (Throwable e) {
                caught[0] = e;
            }
            try {
                backend.resume(c);
            } catch (Throwable e) {
                caught[1] = e;
            }
        });
        t.join();
        assertInstanceOf(IllegalStateException.class, caught[0]);
        assertInstanceOf(IllegalStateException.class, caught[1]);
        assertTrue(caught[1].getMessage().contains("scheduler thread"), caught[1].getMessage());
        assertEquals(ResumeOutcome.DONE, backend.resume(c), "the failed resume left it untouched");
    }

    @Test
    void closeIsIdempotentAndEndsTheBackend() {
        Coroutine c = backend.create("c", backend::suspend, null);
        assertEquals(ResumeOutcome.SUSPENDED, backend.resume(c));
        backend.close();
        backend.close();
        assertThrows(IllegalStateException.class, () -> backend.resume(c));
        assertThrows(IllegalStateException.class, () -> backend.create("late", () -> { }, null));
    }

    @Test
    void interruptBlockedIsANoOp() {
        Coroutine c = backend.create("c", backend::suspend, null);
        assertEquals(ResumeOutcome.SUSPENDED, backend.resume(c));
        backend.interruptBlocked(c);
        assertEquals(ResumeOutcome.DONE, backend.resume(c));
    }

    @Test
    void describeNamesTheMonitorMode() {
        NativeSwitchBackend n = (NativeSwitchBackend) backend;
        String d = backend.describe();
        assertEquals("native", backend.name());
        if (n.strictMonitorMode()) {
            assertEquals("native (strict monitor mode: -XX:LockingMode=1)", d);
        } else {
            assertTrue(d.startsWith("native (monitor watchdog") && d.contains("-XX:LockingMode=1"), d);
        }
    }

    @Test
    void watchdogThreadLivesFromOpenToClose() {
        NativeSwitchBackend n = (NativeSwitchBackend) backend;
        Thread watchdog = n.watchdogThread();
        if (n.strictMonitorMode()) {
            assertNull(watchdog, "strict mode needs no watchdog");
            return;
        }
        assertNotNull(watchdog);
        assertEquals("coro-native-monitor-watchdog", watchdog.getName());
        assertTrue(watchdog.isDaemon());
        assertTrue(watchdog.isAlive());
        backend.close(); // joins the thread
        assertFalse(watchdog.isAlive());
    }

    @Test
    void watchdogCanBeTurnedOff() {
        try (NativeSwitchBackend off = NativeSwitchBackend.open(host, new WatchdogSettings(0))) {
            assertNull(off.watchdogThread());
            if (!off.strictMonitorMode()) {
                assertTrue(off.describe().contains("monitor watchdog off"), off.describe());
            }
        }
    }

    @Test
    void watchdogSettingsParseTheProperty() {
        String old = System.getProperty(WatchdogSettings.PROPERTY);
        try {
            System.clearProperty(WatchdogSettings.PROPERTY);
            assertEquals(1000, WatchdogSettings.fromSystemProperties().thresholdMillis());
            System.setProperty(WatchdogSettings.PROPERTY, " 250 ");
            assertEquals(250, WatchdogSettings.fromSystemProperties().thresholdMillis());
            assertEquals(62, WatchdogSettings.fromSystemProperties().periodMillis());
            System.setProperty(WatchdogSettings.PROPERTY, "soon");
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, WatchdogSettings::fromSystemProperties);
            assertTrue(e.getMessage().contains(WatchdogSettings.PROPERTY), e.getMessage());
            System.setProperty(WatchdogSettings.PROPERTY, "-1");
            assertThrows(IllegalArgumentException.class, WatchdogSettings::fromSystemProperties);
        } finally {
            if (old == null) {
                System.clearProperty(WatchdogSettings.PROPERTY);
            } else {
                System.setProperty(WatchdogSettings.PROPERTY, old);
            }
        }
    }
}
