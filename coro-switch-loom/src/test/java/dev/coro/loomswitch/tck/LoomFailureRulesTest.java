package dev.coro.loomswitch.tck;

import dev.coro.Scheduler;
import dev.coro.tck.scheduler.FailureRulesVerification;

/** The kit's FailureRulesVerification on the loom switch backend. */
class LoomFailureRulesTest extends FailureRulesVerification {
    @Override
    protected Scheduler.Builder schedulerBuilder() {
        return Scheduler.builder().switcher("loom");
    }
}
