package dev.coro.tck.example;

import dev.coro.spi.SwitchProvider;
import dev.coro.tck.switching.SwitchBackendVerification;

/** The switch-backend kit against the handoff backend (its coroutines are threads: nothing pins). */
class HandoffSwitchBackendTest extends SwitchBackendVerification {
    @Override
    protected SwitchProvider switchProvider() {
        return new HandoffSwitchProvider();
    }

    @Override
    protected boolean pinsInClassInitializer() {
        return false;
    }
}
