package dev.coro.nativeswitch.tck;

import dev.coro.Scheduler;
import dev.coro.tck.sync.InvertedSemaphoreVerification;

/** The kit's InvertedSemaphoreVerification on the native switch backend. */
class NativeInvertedSemaphoreSyncTest extends InvertedSemaphoreVerification {
    @Override
    protected Scheduler.Builder schedulerBuilder() {
        return Scheduler.builder().switcher("native");
    }
}
