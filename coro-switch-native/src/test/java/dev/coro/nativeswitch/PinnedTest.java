package dev.coro.nativeswitch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coro.CoroPinnedException;
import dev.coro.spi.Coroutine;
import dev.coro.spi.ResumeOutcome;
import dev.coro.spi.SwitchBackend;
import java.util.ArrayList;
import java.util.List;
import jdk.internal.vm.Continuation;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PinnedTest {

    private static volatile SwitchBackend backendForInitializer;

    /** The VM runs a static initializer through a native frame: a suspend in it is pinned. */
    static final class SuspendsInItsInitializer {
        static final CoroPinnedException CAUGHT;
        static final List<String> AFTER = new ArrayList<>();
        static {
            CoroPinnedException caught = null;
            try {
                backendForInitializer.suspend();
                AFTER.add("switched from a class initializer");
            } catch (CoroPinnedException e) {
                caught = e;
            }
            AFTER.add("initializer went on");
            CAUGHT = caught;
        }
    }

    private SwitchBackend backend;

    @BeforeEach
    void open() {
        backend = new NativeSwitchProvider().open(new FakeHost());
    }

    @AfterEach
    void close() {
        backend.close();
    }

    @Test
    void suspendInANativeFrameThrowsAndTheCoroutineGoesOn() {
        backendForInitializer = backend;
        List<String> log = new ArrayList<>();
        Coroutine c = backend.create("initializer-coro", () -> {
            log.add("before");
            log.add("caught: " + (SuspendsInItsInitializer.CAUGHT != null));
            backend.suspend(); // outside the initializer: switches normally
            log.add("resumed");
        }, null);

        assertEquals(ResumeOutcome.SUSPENDED, backend.resume(c));
        assertEquals(List.of("before", "caught: true"), log);
        assertEquals(List.of("initializer went on"), SuspendsInItsInitializer.AFTER);
        CoroPinnedException e = SuspendsInItsInitializer.CAUGHT;
        assertNotNull(e);
        assertTrue(e.getMessage().contains("'initializer-coro'"), e.getMessage());
        assertTrue(e.getMessage().contains("native frame") && e.getMessage().contains("class initializer"), e.getMessage());
        assertTrue(e.getMessage().contains("did not happen"), e.getMessage());
        assertEquals(ResumeOutcome.DONE, backend.resume(c));
        assertEquals(List.of("before", "caught: true", "resumed"), log);
    }

    @Test
    void suspendInAJdkCriticalSectionThrows() {
        String[] message = {null};
        Coroutine c = backend.create("critical", () -> {
            Continuation.pin();
            try {
                backend.suspend();
            } catch (CoroPinnedException e) {
                message[0] = e.getMessage();
            } finally {
                Continuation.unpin();
            }
            backend.suspend();
        }, null);
        assertEquals(ResumeOutcome.SUSPENDED, backend.resume(c));
        assertNotNull(message[0], "the pinned suspend threw");
        assertTrue(message[0].contains("'critical'") && message[0].contains("critical section"), message[0]);
        assertEquals(ResumeOutcome.DONE, backend.resume(c));
    }
}
