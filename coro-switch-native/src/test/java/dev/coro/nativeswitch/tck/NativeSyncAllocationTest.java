package dev.coro.nativeswitch.tck;

import dev.coro.Scheduler;
import dev.coro.tck.sync.SyncAllocationVerification;

/** The kit's SyncAllocationVerification on the native switch backend. */
class NativeSyncAllocationTest extends SyncAllocationVerification {
    @Override
    protected Scheduler.Builder schedulerBuilder() {
        return Scheduler.builder().switcher("native");
    }
}
