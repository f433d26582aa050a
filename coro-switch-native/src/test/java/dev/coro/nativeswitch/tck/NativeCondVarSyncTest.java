package dev.coro.nativeswitch.tck;

import dev.coro.Scheduler;
import dev.coro.tck.sync.CondVarVerification;

/** The kit's CondVarVerification on the native switch backend. */
class NativeCondVarSyncTest extends CondVarVerification {
    @Override
    protected Scheduler.Builder schedulerBuilder() {
        return Scheduler.builder().switcher("native");
    }
}
