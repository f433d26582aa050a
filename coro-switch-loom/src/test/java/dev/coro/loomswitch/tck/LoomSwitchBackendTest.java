package dev.coro.loomswitch.tck;

import dev.coro.loomswitch.LoomSwitchProvider;
import dev.coro.spi.SwitchProvider;
import dev.coro.tck.switching.SwitchBackendVerification;

/** The kit's switch-backend properties (SPEC.md §4) on this module's backend, without a scheduler. */
class LoomSwitchBackendTest extends SwitchBackendVerification {
    @Override
    protected SwitchProvider switchProvider() {
        return new LoomSwitchProvider();
    }
}
