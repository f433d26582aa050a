package dev.coro.tck.example;

import dev.coro.spi.SwitchProvider;
import dev.coro.tck.switching.SwitchBackendVerification;
import dev.coro.tck.teeth.BrokenSwitchProviders;

/** Control of the pin variants: handoff with a correct pin (CoroPinnedException in class initializers) passes the kit. */
class PinningSwitchBackendTest extends SwitchBackendVerification {
    @Override
    protected SwitchProvider switchProvider() {
        return new BrokenSwitchProviders.PinsInInitializers();
    }
}
