package dev.coro.tck.example;

import dev.coro.Scheduler;
import dev.coro.tck.scheduler.SchedulerVerification;

/** The README's example: the whole model-based scheduler kit against the handoff backend, in one class. */
class HandoffSchedulerTest extends SchedulerVerification {
    @Override
    protected Scheduler.Builder schedulerBuilder() {
        return Scheduler.builder().switcher("handoff");
    }
}
