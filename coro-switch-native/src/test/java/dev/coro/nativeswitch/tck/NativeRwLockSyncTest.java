package dev.coro.nativeswitch.tck;

import dev.coro.Scheduler;
import dev.coro.tck.sync.RwLockVerification;

/** The kit's RwLockVerification on the native switch backend. */
class NativeRwLockSyncTest extends RwLockVerification {
    @Override
    protected Scheduler.Builder schedulerBuilder() {
        return Scheduler.builder().switcher("native");
    }
}
