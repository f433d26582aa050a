package dev.coro.nativeswitch.tck;

import dev.coro.Scheduler;
import dev.coro.tck.scheduler.AwaitAndBlockingVerification;

/** The kit's AwaitAndBlockingVerification on the native switch backend. */
class NativeAwaitAndBlockingTest extends AwaitAndBlockingVerification {
    @Override
    protected Scheduler.Builder schedulerBuilder() {
        return Scheduler.builder().switcher("native");
    }
}
