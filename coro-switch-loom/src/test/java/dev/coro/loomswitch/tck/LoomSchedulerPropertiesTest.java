package dev.coro.loomswitch.tck;

import dev.coro.Scheduler;
import dev.coro.tck.scheduler.SchedulerVerification;

/** The kit's model-based scheduler properties (SPEC.md §3) on the loom switch backend. */
class LoomSchedulerPropertiesTest extends SchedulerVerification {
    @Override
    protected Scheduler.Builder schedulerBuilder() {
        return Scheduler.builder().switcher("loom");
    }
}
