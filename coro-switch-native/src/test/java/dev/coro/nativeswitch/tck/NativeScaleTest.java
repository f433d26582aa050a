package dev.coro.nativeswitch.tck;

import dev.coro.Scheduler;
import dev.coro.tck.scheduler.ScaleVerification;

/** The kit's ScaleVerification on the native switch backend. */
class NativeScaleTest extends ScaleVerification {
    @Override
    protected Scheduler.Builder schedulerBuilder() {
        return Scheduler.builder().switcher("native");
    }
}
