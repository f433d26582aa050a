package dev.coro.loomswitch.tck;

import dev.coro.Scheduler;
import dev.coro.tck.scheduler.LatencyWarningVerification;

/** The kit's LatencyWarningVerification on the loom switch backend. */
class LoomLatencyWarningTest extends LatencyWarningVerification {
    @Override
    protected Scheduler.Builder schedulerBuilder() {
        return Scheduler.builder().switcher("loom");
    }
}
