package dev.coro.tck.example;

import dev.coro.Scheduler;
import dev.coro.tck.scheduler.RunOrderVerification;

/** An example-based verification against the handoff backend (the positive control of the teeth tests). */
class HandoffRunOrderTest extends RunOrderVerification {
    @Override
    protected Scheduler.Builder schedulerBuilder() {
        return Scheduler.builder().switcher("handoff");
    }
}
