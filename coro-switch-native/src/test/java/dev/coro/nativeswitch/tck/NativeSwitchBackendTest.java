package dev.coro.nativeswitch.tck;

import dev.coro.nativeswitch.NativeSwitchProvider;
import dev.coro.spi.SwitchProvider;
import dev.coro.tck.switching.SwitchBackendVerification;

/** The kit's switch-backend properties (SPEC.md §4) on this module's backend, without a scheduler. */
class NativeSwitchBackendTest extends SwitchBackendVerification {
    @Override
    protected SwitchProvider switchProvider() {
        return new NativeSwitchProvider();
    }
}
