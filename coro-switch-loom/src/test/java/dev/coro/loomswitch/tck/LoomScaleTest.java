package dev.coro.loomswitch.tck;

import dev.coro.Scheduler;
import dev.coro.tck.scheduler.ScaleVerification;

/** The kit's ScaleVerification on the loom switch backend. */
class LoomScaleTest extends ScaleVerification {
    @Override
    protected Scheduler.Builder schedulerBuilder() {
        return Scheduler.builder().switcher("loom");
    }
}
