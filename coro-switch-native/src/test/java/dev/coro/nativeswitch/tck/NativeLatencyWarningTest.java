package dev.coro.nativeswitch.tck;

import dev.coro.Scheduler;
import dev.coro.tck.scheduler.LatencyWarningVerification;

/** The kit's LatencyWarningVerification on the native switch backend. */
class NativeLatencyWarningTest extends LatencyWarningVerification {
    @Override
    protected Scheduler.Builder schedulerBuilder() {
        return Scheduler.builder().switcher("native");
    }
}
