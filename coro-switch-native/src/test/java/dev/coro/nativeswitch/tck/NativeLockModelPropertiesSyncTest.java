package dev.coro.nativeswitch.tck;

import dev.coro.Scheduler;
import dev.coro.tck.sync.LockModelProperties;

/** The kit's lock model properties (Mutex, RwLock, bounded Fifo) on the native switch backend. */
class NativeLockModelPropertiesSyncTest extends LockModelProperties {
    @Override
    protected Scheduler.Builder schedulerBuilder() {
        return Scheduler.builder().switcher("native");
    }
}
