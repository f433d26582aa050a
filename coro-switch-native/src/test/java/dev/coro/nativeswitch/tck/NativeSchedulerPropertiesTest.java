package dev.coro.nativeswitch.tck;

import dev.coro.Scheduler;
import dev.coro.tck.scheduler.SchedulerVerification;

/** The kit's model-based scheduler properties (SPEC.md §3) on the native switch backend. */
class NativeSchedulerPropertiesTest extends SchedulerVerification {
    @Override
    protected Scheduler.Builder schedulerBuilder() {
        return Scheduler.builder().switcher("native");
    }
}
