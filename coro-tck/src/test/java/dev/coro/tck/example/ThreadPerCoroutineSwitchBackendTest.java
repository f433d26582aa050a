package dev.coro.tck.example;

import dev.coro.spi.SwitchProvider;
import dev.coro.tck.switching.SwitchBackendVerification;

/** The switch kit against a heavy third-party backend (a platform thread per coroutine, limit 200): it must pass, scaled. */
class ThreadPerCoroutineSwitchBackendTest extends SwitchBackendVerification {
    @Override
    protected SwitchProvider switchProvider() {
        return new ThreadPerCoroutineSwitchProvider();
    }

    @Override
    protected boolean pinsInClassInitializer() {
        return false;
    }
}
