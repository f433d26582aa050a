package dev.coro.loomswitch.tck;

import dev.coro.Scheduler;
import dev.coro.tck.sync.InParallelVerification;

/** The kit's InParallelVerification on the loom switch backend. */
class LoomInParallelSyncTest extends InParallelVerification {
    @Override
    protected Scheduler.Builder schedulerBuilder() {
        return Scheduler.builder().switcher("loom");
    }
}
