package dev.coro.nativeswitch.tck;

import dev.coro.Scheduler;
import dev.coro.tck.sync.InParallelVerification;

/** The kit's InParallelVerification on the native switch backend. */
class NativeInParallelSyncTest extends InParallelVerification {
    @Override
    protected Scheduler.Builder schedulerBuilder() {
        return Scheduler.builder().switcher("native");
    }
}
