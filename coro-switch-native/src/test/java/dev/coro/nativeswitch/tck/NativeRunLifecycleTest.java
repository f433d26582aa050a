package dev.coro.nativeswitch.tck;

import dev.coro.Scheduler;
import dev.coro.tck.scheduler.RunLifecycleVerification;

/** The kit's RunLifecycleVerification on the native switch backend. */
class NativeRunLifecycleTest extends RunLifecycleVerification {
    @Override
    protected Scheduler.Builder schedulerBuilder() {
        return Scheduler.builder().switcher("native");
    }
}
