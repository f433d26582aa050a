package dev.coro.nativeswitch.tck;

import dev.coro.Scheduler;
import dev.coro.tck.sync.SyncModelProperties;

/** The kit's sync model properties on the native switch backend. */
class NativeModelPropertiesSyncTest extends SyncModelProperties {
    @Override
    protected Scheduler.Builder schedulerBuilder() {
        return Scheduler.builder().switcher("native");
    }
}
