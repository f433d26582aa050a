package dev.coro.nativeswitch.tck;

import dev.coro.Scheduler;
import dev.coro.tck.sync.CoroLocalVerification;

/** The kit's CoroLocalVerification on the native switch backend. */
class NativeCoroLocalSyncTest extends CoroLocalVerification {
    @Override
    protected Scheduler.Builder schedulerBuilder() {
        return Scheduler.builder().switcher("native");
    }
}
