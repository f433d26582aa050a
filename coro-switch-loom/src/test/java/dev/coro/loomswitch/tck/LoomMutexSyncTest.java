package dev.coro.loomswitch.tck;

import dev.coro.Scheduler;
import dev.coro.tck.sync.MutexVerification;

/** The kit's MutexVerification on the loom switch backend. */
class LoomMutexSyncTest extends MutexVerification {
    @Override
    protected Scheduler.Builder schedulerBuilder() {
        return Scheduler.builder().switcher("loom");
    }
}
