package dev.coro.loomswitch.tck;

import dev.coro.Scheduler;
import dev.coro.tck.scheduler.TimerRulesVerification;

/** The kit's TimerRulesVerification on the loom switch backend. */
class LoomTimerRulesTest extends TimerRulesVerification {
    @Override
    protected Scheduler.Builder schedulerBuilder() {
        return Scheduler.builder().switcher("loom");
    }
}
