package dev.coro.loomswitch.tck;

import dev.coro.Scheduler;
import dev.coro.tck.scheduler.TimeoutRulesVerification;

/** The kit's TimeoutRulesVerification on the loom switch backend. */
class LoomTimeoutRulesTest extends TimeoutRulesVerification {
    @Override
    protected Scheduler.Builder schedulerBuilder() {
        return Scheduler.builder().switcher("loom");
    }
}
