package dev.coro.loomswitch.tck;

import dev.coro.Scheduler;
import dev.coro.tck.sync.SemaphoreVerification;

/** The kit's SemaphoreVerification on the loom switch backend. */
class LoomSemaphoreSyncTest extends SemaphoreVerification {
    @Override
    protected Scheduler.Builder schedulerBuilder() {
        return Scheduler.builder().switcher("loom");
    }
}
