package dev.coro.scheduler;

import dev.coro.Coro;
import dev.coro.ScheduleException;
import dev.coro.Scheduler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SPEC.md §2/§7: scheduling a dead, running or already scheduled coro is a ScheduleException
 * naming the problem. Uses the loop's package-private schedule(), so it lives here, not in coro-tck;
 * the coros run on the test-only {@link HandoffSwitchProvider}.
 */
class ScheduleExceptionTest {

    private static void assertMessage(String fragment, Executable call) {
        Throwable t = assertThrows(ScheduleException.class, call);
        assertTrue(t.getMessage() != null && t.getMessage().contains(fragment),
                "message should mention '" + fragment + "': " + t.getMessage());
    }

    @Test
    void schedulingADeadRunningOrScheduledCoroIsAScheduleException() {
        Scheduler s = Scheduler.builder().switcher("handoff").virtualTime().build();
        s.run(() -> {
            CoroStates states = ((LoopEngine) dev.coro.spi.CoroEngine.bound()).loop.states;
            CoroImpl<?> me = (CoroImpl<?>) Coro.current();
            assertMessage("running", () -> states.schedule(me, null));
            CoroImpl<?> fresh = (CoroImpl<?>) Coro.spawn(() -> "x");
            assertMessage("already scheduled", () -> states.schedule(fresh, null));
            fresh.join();
            assertMessage("finished", () -> states.schedule(fresh, null));
            return null;
        });
        assertEquals(0, ((CoroScheduler) s).abandonedByLastRun(), "coros abandoned at the end of the run");
    }
}
