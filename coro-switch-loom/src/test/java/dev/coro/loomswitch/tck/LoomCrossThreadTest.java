package dev.coro.loomswitch.tck;

import dev.coro.Scheduler;
import dev.coro.tck.scheduler.CrossThreadVerification;

/** The kit's CrossThreadVerification on the loom switch backend. */
class LoomCrossThreadTest extends CrossThreadVerification {
    @Override
    protected Scheduler.Builder schedulerBuilder() {
        return Scheduler.builder().switcher("loom");
    }
}
