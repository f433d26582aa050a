package dev.coro.nativeswitch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coro.spi.Coroutine;
import dev.coro.spi.ResumeOutcome;
import dev.coro.spi.SwitchBackend;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class StackTraceTest {

    private SwitchBackend backend;

    @BeforeEach
    void open() {
        backend = new NativeSwitchProvider().open(new FakeHost());
    }

    @AfterEach
    void close() {
        backend.close();
    }

    private static boolean has(StackTraceElement[] frames, String method) {
        return Arrays.stream(frames).anyMatch(f -> f.getMethodName().equals(method));
    }

    @Test
    void suspendedStackStartsAtTheCallerOfSuspend() {
        Coroutine c = backend.create("c", this::suspendingMethod, null);
        assertEquals(0, c.stackTrace().length, "not started: no frames yet");
        assertEquals(ResumeOutcome.SUSPENDED, backend.resume(c));
        StackTraceElement[] frames = c.stackTrace();
        assertEquals("suspendingMethod", frames[0].getMethodName(), Arrays.toString(frames));
        assertTrue(Arrays.stream(frames).noneMatch(f -> f.getMethodName().equals("resume")),
                "nothing of the scheduler's stack: " + Arrays.toString(frames));
        assertEquals(ResumeOutcome.DONE, backend.resume(c));
        assertEquals(0, c.stackTrace().length, "done: no frames");
    }

    private void suspendingMethod() {
        backend.suspend();
    }

    @Test
    void runningStackIsReadableFromAnotherThread() throws InterruptedException {
        AtomicReference<StackTraceElement[]> seen = new AtomicReference<>();
        Coroutine[] self = {null};
        self[0] = backend.create("c", () -> runningMethod(self[0], seen), null);
        assertEquals(ResumeOutcome.DONE, backend.resume(self[0]));
        StackTraceElement[] frames = seen.get();
        assertTrue(has(frames, "runningMethod"), Arrays.toString(frames));
        assertTrue(!has(frames, "runningStackIsReadableFromAnotherThread") && !has(frames, "resume"),
                "only the coro's own frames: " + Arrays.toString(frames));
    }

    private static void runningMethod(Coroutine self, AtomicReference<StackTraceElement[]> seen) {
        Thread t = Thread.ofPlatform().start(() -> seen.set(self.stackTrace()));
        try {
            t.join(); // this coro stays running (on the scheduler thread) while t looks
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void outerCoroOfANestedResumeShowsItsOwnFrames() throws InterruptedException {
        AtomicReference<StackTraceElement[]> outerSeen = new AtomicReference<>();
        Coroutine[] outer = {null};
        Coroutine inner = backend.create("inner", () -> innerMethod(outer[0], outerSeen), null);
        outer[0] = backend.create("outer", () -> outerMethod(inner), null);
        assertEquals(ResumeOutcome.DONE, backend.resume(outer[0]));
        StackTraceElement[] frames = outerSeen.get();
        assertTrue(has(frames, "outerMethod"), Arrays.toString(frames));
        assertTrue(!has(frames, "innerMethod"), "not the inner coro's frames: " + Arrays.toString(frames));
    }

    private void outerMethod(Coroutine inner) {
        backend.resume(inner);
    }

    private static void innerMethod(Coroutine outer, AtomicReference<StackTraceElement[]> seen) {
        runningMethod(outer, seen);
    }

    /**
     * A thread takes stack traces while the scheduler thread switches the coro thousands of times:
     * no walk may see a stack in the middle of being copied, and no resume may fail for it.
     */
    @Test
    void stackTracesRacingWithSwitchesAreConsistent() throws InterruptedException {
        int minTraces = 200;
        int minSwitches = 20_000;
        boolean[] stop = {false};
        Coroutine c = backend.create("spinner", () -> spinBody(stop), null);
        AtomicInteger traces = new AtomicInteger();
        AtomicBoolean finished = new AtomicBoolean();
        ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
        Thread walker = Thread.ofPlatform().start(() -> {
            while (!finished.get()) {
                try {
                    StackTraceElement[] frames = c.stackTrace();
                    if (frames.length > 0 && !has(frames, "spinBody")) {
                        problems.add("foreign frames: " + Arrays.toString(frames));
                    }
                    traces.incrementAndGet();
                } catch (Throwable e) {
                    problems.add(e.toString());
                }
            }
        });
        int switches = 0;
        while (switches < minSwitches || traces.get() < minTraces) {
            assertEquals(ResumeOutcome.SUSPENDED, backend.resume(c));
            switches++;
        }
        stop[0] = true;
        assertEquals(ResumeOutcome.DONE, backend.resume(c));
        finished.set(true);
        walker.join();
        assertEquals(List.of(), new ArrayList<>(problems));
    }

    private void spinBody(boolean[] stop) {
        while (!stop[0]) {
            depth(5);
        }
    }

    private void depth(int n) {
        if (n == 0) {
            backend.suspend();
        } else {
            depth(n - 1);
        }
    }

    @Test
    void mountedBodiesSplitAtContinuationEntries() {
        String c = "jdk.internal.vm.Continuation";
        String b = NativeSwitchBackend.class.getName();
        StackTraceElement[] thread = {
            frame(c, "yield0"), frame(c, "yield"), frame(b, "suspend"), // inner, mid-suspend
            frame("app.Inner", "work"),
            frame(c, "enter0"), frame(c, "enter"), frame(c, "enterSpecial"), frame(c, "run"),
            frame(b, "resume"),
            frame("app.Outer", "work"),
            frame(c, "enter0"), frame(c, "enter"), frame(c, "enterSpecial"), frame(c, "run"),
            frame(b, "resume"),
            frame("app.Scheduler", "loop"),
        };
        List<StackTraceElement[]> bodies = StackTraces.mountedBodies(thread);
        assertEquals(2, bodies.size());
        assertEquals(List.of("app.Inner"), classes(bodies.get(0)));
        assertEquals(List.of("app.Outer"), classes(bodies.get(1)));

        StackTraceElement[] mounting = {
            frame("java.lang.Thread", "setScopedValueCache"),
            frame(c, "run"),
            frame(b, "resume"),
            frame("app.Outer", "work"),
            frame(c, "enter0"), frame(c, "enter"), frame(c, "enterSpecial"), frame(c, "run"),
            frame("app.Scheduler", "loop"),
        };
        assertEquals(null, StackTraces.mountedBodies(mounting), "mid-mount: no coherent answer");
        assertEquals(0, StackTraces.mountedBodies(new StackTraceElement[] {frame("app.Scheduler", "loop")}).size());
    }

    private static StackTraceElement frame(String cls, String method) {
        return new StackTraceElement(cls, method, null, -1);
    }

    private static List<String> classes(StackTraceElement[] frames) {
        return Arrays.stream(frames).map(StackTraceElement::getClassName).toList();
    }
}
