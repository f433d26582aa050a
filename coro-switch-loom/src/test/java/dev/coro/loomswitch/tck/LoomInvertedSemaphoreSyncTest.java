package dev.coro.loomswitch.tck;

import dev.coro.Scheduler;
import dev.coro.tck.sync.InvertedSemaphoreVerification;

/** The kit's InvertedSemaphoreVerification on the loom switch backend. */
class LoomInvertedSemaphoreSyncTest extends InvertedSemaphoreVerification {
    @Override
    protected Scheduler.Builder schedulerBuilder() {
        return Scheduler.builder().switcher("loom");
    }
}
