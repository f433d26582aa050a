package dev.coro.nativeswitch.tck;

import dev.coro.Scheduler;
import dev.coro.tck.sync.FifoVerification;

/** The kit's FifoVerification on the native switch backend. */
class NativeFifoSyncTest extends FifoVerification {
    @Override
    protected Scheduler.Builder schedulerBuilder() {
        return Scheduler.builder().switcher("native");
    }
}
