package dev.coro.loomswitch.tck;

import dev.coro.Scheduler;
import dev.coro.tck.sync.SyncAllocationVerification;

/** The kit's SyncAllocationVerification on the loom switch backend. */
class LoomSyncAllocationTest extends SyncAllocationVerification {
    @Override
    protected Scheduler.Builder schedulerBuilder() {
        return Scheduler.builder().switcher("loom");
    }
}
