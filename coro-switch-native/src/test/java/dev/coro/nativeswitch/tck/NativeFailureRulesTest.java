package dev.coro.nativeswitch.tck;

import dev.coro.Scheduler;
import dev.coro.tck.scheduler.FailureRulesVerification;

/** The kit's FailureRulesVerification on the native switch backend. */
class NativeFailureRulesTest extends FailureRulesVerification {
    @Override
    protected Scheduler.Builder schedulerBuilder() {
        return Scheduler.builder().switcher("native");
    }
}
