package dev.coro.nativeswitch.tck;

import dev.coro.Scheduler;
import dev.coro.tck.scheduler.TimeoutRulesVerification;

/** The kit's TimeoutRulesVerification on the native switch backend. */
class NativeTimeoutRulesTest extends TimeoutRulesVerification {
    @Override
    protected Scheduler.Builder schedulerBuilder() {
        return Scheduler.builder().switcher("native");
    }
}
