package dev.coro.loomswitch.tck;

import dev.coro.Scheduler;
import dev.coro.tck.scheduler.BadInputVerification;

/** The kit's BadInputVerification on the loom switch backend. */
class LoomBadInputTest extends BadInputVerification {
    @Override
    protected Scheduler.Builder schedulerBuilder() {
        return Scheduler.builder().switcher("loom");
    }
}
