package dev.coro.loomswitch.tck;

import dev.coro.Scheduler;
import dev.coro.tck.scheduler.RunOrderVerification;

/** The kit's RunOrderVerification on the loom switch backend. */
class LoomRunOrderTest extends RunOrderVerification {
    @Override
    protected Scheduler.Builder schedulerBuilder() {
        return Scheduler.builder().switcher("loom");
    }
}
