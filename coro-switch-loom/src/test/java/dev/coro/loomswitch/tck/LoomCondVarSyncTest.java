package dev.coro.loomswitch.tck;

import dev.coro.Scheduler;
import dev.coro.tck.sync.CondVarVerification;

/** The kit's CondVarVerification on the loom switch backend. */
class LoomCondVarSyncTest extends CondVarVerification {
    @Override
    protected Scheduler.Builder schedulerBuilder() {
        return Scheduler.builder().switcher("loom");
    }
}
