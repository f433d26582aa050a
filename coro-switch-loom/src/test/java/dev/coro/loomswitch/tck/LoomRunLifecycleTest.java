package dev.coro.loomswitch.tck;

import dev.coro.Scheduler;
import dev.coro.tck.scheduler.RunLifecycleVerification;

/** The kit's RunLifecycleVerification on the loom switch backend. */
class LoomRunLifecycleTest extends RunLifecycleVerification {
    @Override
    protected Scheduler.Builder schedulerBuilder() {
        return Scheduler.builder().switcher("loom");
    }
}
