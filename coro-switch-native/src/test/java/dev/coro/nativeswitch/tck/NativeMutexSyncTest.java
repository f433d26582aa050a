package dev.coro.nativeswitch.tck;

import dev.coro.Scheduler;
import dev.coro.tck.sync.MutexVerification;

/** The kit's MutexVerification on the native switch backend. */
class NativeMutexSyncTest extends MutexVerification {
    @Override
    protected Scheduler.Builder schedulerBuilder() {
        return Scheduler.builder().switcher("native");
    }
}
