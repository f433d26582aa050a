package dev.coro.loomswitch.tck;

import dev.coro.Scheduler;
import dev.coro.tck.sync.SyncModelProperties;

/** The kit's sync model properties on the loom switch backend. */
class LoomModelPropertiesSyncTest extends SyncModelProperties {
    @Override
    protected Scheduler.Builder schedulerBuilder() {
        return Scheduler.builder().switcher("loom");
    }
}
