package dev.coro.tck.switching;

/**
 * Suspends inside its class initializer (a frame no switch backend can copy or unmount). Loaded
 * afresh by {@link PinProbe} for every probe, so that the initializer runs each time.
 */
final class PinnedInitializer {
    static {
        PinProbe.suspendInInitializer(PinnedInitializer.class.getClassLoader());
    }

    private PinnedInitializer() {
    }
}
