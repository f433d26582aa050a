package dev.coro.nativeswitch.tck;

import dev.coro.Scheduler;
import dev.coro.tck.scheduler.TimerRulesVerification;

/** The kit's TimerRulesVerification on the native switch backend. */
class NativeTimerRulesTest extends TimerRulesVerification {
    @Override
    protected Scheduler.Builder schedulerBuilder() {
        return Scheduler.builder().switcher("native");
    }
}
