package dev.coro.scheduler;

import dev.coro.Coro;
import dev.coro.Scheduler;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A coro is its own switch-backend body ({@code CoroImpl implements Runnable}, to save an object and
 * a frame per coro); that entry point must not run a body a second time, or on a caller's stack.
 */
class CoroEntryGuardTest {

    @Test
    void runningACoroAsARunnableIsRefusedAndLeavesItIntact() {
        Scheduler s = Scheduler.builder().switcher("handoff").virtualTime().build();
        int[] runs = {0};
        String result = s.run(() -> {
            Coro<String> fresh = Coro.spawn(() -> {
                runs[0]++;
                return "ran";
            });
            // Another coro calling it, before it started and after it ended; and a coro calling its own.
            IllegalStateException before = assertThrows(IllegalStateException.class, () -> ((Runnable) fresh).run());
            assertTrue(before.getMessage().contains("entry point"), before.getMessage());
            String r = fresh.join();
            assertThrows(IllegalStateException.class, () -> ((Runnable) fresh).run());
            Coro<?> self = Coro.current();
            assertThrows(IllegalStateException.class, () -> ((Runnable) self).run());
            return r;
        });
        assertEquals("ran", result);
        assertEquals(1, runs[0], "the body ran once");
        assertEquals(0, ((CoroScheduler) s).abandonedByLastRun(), "coros abandoned at the end of the run");
    }

    @Test
    void anUnnamedCoroIsNamedFromItsIdWhenAsked() {
        Scheduler s = Scheduler.builder().switcher("handoff").virtualTime().build();
        s.run(() -> {
            Coro<?> unnamed = Coro.spawn(() -> { });
            Coro<?> named = Coro.spawn("worker", () -> { });
            assertEquals("coro-" + unnamed.id(), unnamed.name());
            assertEquals("worker", named.name());
            assertEquals("coro-" + unnamed.id(), ((CoroImpl<?>) unnamed).coroutine.name(),
                    "the backend's name of an unnamed coro comes from the host");
            unnamed.join();
            named.join();
            return null;
        });
    }
}
