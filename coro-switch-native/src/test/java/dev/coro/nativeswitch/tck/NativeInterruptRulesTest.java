package dev.coro.nativeswitch.tck;

import dev.coro.Scheduler;
import dev.coro.tck.scheduler.InterruptRulesVerification;

/** The kit's InterruptRulesVerification on the native switch backend. */
class NativeInterruptRulesTest extends InterruptRulesVerification {
    @Override
    protected Scheduler.Builder schedulerBuilder() {
        return Scheduler.builder().switcher("native");
    }
}
