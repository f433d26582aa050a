package dev.coro.loomswitch.tck;

import dev.coro.Scheduler;
import dev.coro.tck.sync.CoroLocalVerification;

/** The kit's CoroLocalVerification on the loom switch backend. */
class LoomCoroLocalSyncTest extends CoroLocalVerification {
    @Override
    protected Scheduler.Builder schedulerBuilder() {
        return Scheduler.builder().switcher("loom");
    }
}
