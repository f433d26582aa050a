package dev.coro.loomswitch.tck;

import dev.coro.Scheduler;
import dev.coro.tck.sync.SyncBindingVerification;

/** The kit's SyncBindingVerification on the loom switch backend. */
class LoomBindingSyncTest extends SyncBindingVerification {
    @Override
    protected Scheduler.Builder schedulerBuilder() {
        return Scheduler.builder().switcher("loom");
    }
}
