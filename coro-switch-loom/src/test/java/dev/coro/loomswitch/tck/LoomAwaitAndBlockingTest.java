package dev.coro.loomswitch.tck;

import dev.coro.Scheduler;
import dev.coro.tck.scheduler.AwaitAndBlockingVerification;

/** The kit's AwaitAndBlockingVerification on the loom switch backend. */
class LoomAwaitAndBlockingTest extends AwaitAndBlockingVerification {
    @Override
    protected Scheduler.Builder schedulerBuilder() {
        return Scheduler.builder().switcher("loom");
    }
}
