package dev.coro.loomswitch.tck;

import dev.coro.Scheduler;
import dev.coro.tck.scheduler.ObservabilityVerification;

/** The kit's ObservabilityVerification on the loom switch backend. */
class LoomObservabilityTest extends ObservabilityVerification {
    @Override
    protected Scheduler.Builder schedulerBuilder() {
        return Scheduler.builder().switcher("loom");
    }
}
