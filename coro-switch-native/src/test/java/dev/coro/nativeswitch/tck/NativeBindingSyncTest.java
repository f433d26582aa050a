package dev.coro.nativeswitch.tck;

import dev.coro.Scheduler;
import dev.coro.tck.sync.SyncBindingVerification;

/** The kit's SyncBindingVerification on the native switch backend. */
class NativeBindingSyncTest extends SyncBindingVerification {
    @Override
    protected Scheduler.Builder schedulerBuilder() {
        return Scheduler.builder().switcher("native");
    }
}
