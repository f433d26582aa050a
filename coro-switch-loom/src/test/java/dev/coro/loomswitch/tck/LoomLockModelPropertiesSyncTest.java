package dev.coro.loomswitch.tck;

import dev.coro.Scheduler;
import dev.coro.tck.sync.LockModelProperties;

/** The kit's lock model properties (Mutex, RwLock, bounded Fifo) on the loom switch backend. */
class LoomLockModelPropertiesSyncTest extends LockModelProperties {
    @Override
    protected Scheduler.Builder schedulerBuilder() {
        return Scheduler.builder().switcher("loom");
    }
}
