package dev.coro.scheduler;

import dev.coro.Coro;
import dev.coro.Scheduler;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A task handed to the loop (CoroContext.runOnLoop) that throws is logged; the run goes on. */
class LoopTaskFailureTest {

    @Test
    void aFailingLoopTaskDoesNotEndTheRun() {
        Scheduler s = Scheduler.builder().switcher("handoff").virtualTime().build();
        String v = s.run(() -> {
            Object loop = CoroContext.loopOf(Coro.current());
            CompletableFuture<String> after = new CompletableFuture<>();
            CoroContext.runOnLoop(loop, () -> {
                throw new IllegalStateException("a broken loop task");
            });
            CoroContext.runOnLoop(loop, () -> after.complete("the next task still ran"));
            return Coro.await(after);
        });
        assertEquals("the next task still ran", v);
    }
}
