package dev.coro.nativeswitch.tck;

import dev.coro.Scheduler;
import dev.coro.tck.sync.SemaphoreVerification;

/** The kit's SemaphoreVerification on the native switch backend. */
class NativeSemaphoreSyncTest extends SemaphoreVerification {
    @Override
    protected Scheduler.Builder schedulerBuilder() {
        return Scheduler.builder().switcher("native");
    }
}
