package dev.coro.nativeswitch.tck;

import dev.coro.Scheduler;
import dev.coro.tck.scheduler.RunOrderVerification;

/** The kit's RunOrderVerification on the native switch backend. */
class NativeRunOrderTest extends RunOrderVerification {
    @Override
    protected Scheduler.Builder schedulerBuilder() {
        return Scheduler.builder().switcher("native");
    }
}
