package dev.coro.loomswitch.tck;

import dev.coro.Scheduler;
import dev.coro.tck.scheduler.InterruptRulesVerification;

/** The kit's InterruptRulesVerification on the loom switch backend. */
class LoomInterruptRulesTest extends InterruptRulesVerification {
    @Override
    protected Scheduler.Builder schedulerBuilder() {
        return Scheduler.builder().switcher("loom");
    }
}
