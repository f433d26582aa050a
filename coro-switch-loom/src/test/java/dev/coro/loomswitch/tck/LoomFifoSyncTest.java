package dev.coro.loomswitch.tck;

import dev.coro.Scheduler;
import dev.coro.tck.sync.FifoVerification;

/** The kit's FifoVerification on the loom switch backend. */
class LoomFifoSyncTest extends FifoVerification {
    @Override
    protected Scheduler.Builder schedulerBuilder() {
        return Scheduler.builder().switcher("loom");
    }
}
