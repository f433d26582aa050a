package dev.coro.nativeswitch.tck;

import dev.coro.Scheduler;
import dev.coro.tck.scheduler.ObservabilityVerification;

/** The kit's ObservabilityVerification on the native switch backend. */
class NativeObservabilityTest extends ObservabilityVerification {
    @Override
    protected Scheduler.Builder schedulerBuilder() {
        return Scheduler.builder().switcher("native");
    }
}
