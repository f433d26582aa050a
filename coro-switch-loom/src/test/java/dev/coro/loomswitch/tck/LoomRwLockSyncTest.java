package dev.coro.loomswitch.tck;

import dev.coro.Scheduler;
import dev.coro.tck.sync.RwLockVerification;

/** The kit's RwLockVerification on the loom switch backend. */
class LoomRwLockSyncTest extends RwLockVerification {
    @Override
    protected Scheduler.Builder schedulerBuilder() {
        return Scheduler.builder().switcher("loom");
    }
}
