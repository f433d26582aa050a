package dev.coro.nativeswitch.tck;

import dev.coro.Scheduler;
import dev.coro.tck.scheduler.CrossThreadVerification;

/** The kit's CrossThreadVerification on the native switch backend. */
class NativeCrossThreadTest extends CrossThreadVerification {
    @Override
    protected Scheduler.Builder schedulerBuilder() {
        return Scheduler.builder().switcher("native");
    }
}
