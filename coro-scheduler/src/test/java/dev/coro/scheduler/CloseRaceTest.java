package dev.coro.scheduler;

import dev.coro.Coro;
import dev.coro.CoroShutdownException;
import dev.coro.Scheduler;
import dev.coro.spi.SchedulerConfig;
import dev.coro.spi.SwitchBackend;
import dev.coro.spi.SwitchHost;
import dev.coro.spi.SwitchProvider;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * SPEC.md §2 {@code close()}: a close at any moment ends the run. The race with the start of
 * {@code run()} is made deterministic by closing from inside the switch provider's {@code open},
 * which {@code run()} calls after its closed check and before the loop is published.
 */
class CloseRaceTest {

    @Test
    void api_closeBetweenRunsClosedCheckAndItsLoopStartingStillEndsTheRun() {
        AtomicReference<Scheduler> self = new AtomicReference<>();
        SwitchProvider handoff = new HandoffSwitchProvider();
        SwitchProvider closesOnOpen = new SwitchProvider() {
            @Override
            public String name() {
                return "closes-on-open";
            }

            @Override
            public int priority() {
                return 0;
            }

            @Override
            public Optional<String> unavailableReason() {
                return Optional.empty();
            }

            @Override
            public SwitchBackend open(SwitchHost host) {
                self.get().close(); // inside run(): past its closed check, before the loop is published
                return handoff.open(host);
            }
        };
        SchedulerConfig config = new SchedulerConfig("close-race", null, null, true, 64, Duration.ZERO, null, 4);
        CoroScheduler s = new CoroScheduler(config, closesOnOpen, null);
        self.set(s);
        assertThrows(CoroShutdownException.class, () -> s.run(() -> {
            Coro.sleep(Duration.ofDays(365)); // virtual time: without the close, main would return
            return "close() was ignored";
        }));
        assertThrows(IllegalStateException.class, () -> s.run(() -> null), "a closed scheduler runs no more");
    }
}
