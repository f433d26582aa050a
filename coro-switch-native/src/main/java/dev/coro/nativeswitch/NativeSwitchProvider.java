package dev.coro.nativeswitch;

import dev.coro.spi.SwitchBackend;
import dev.coro.spi.SwitchHost;
import dev.coro.spi.SwitchProvider;
import java.util.Optional;

/**
 * The {@code native} switch backend's entry point, found by {@link java.util.ServiceLoader}.
 *
 * <p>Invariant: this class never names a {@code jdk.internal} type, so loading it and calling
 * {@link #unavailableReason()} cannot throw {@link IllegalAccessError} in a JVM that lacks the
 * {@code --add-exports} flag; only {@link #open} reaches {@link NativeSwitchBackend}, and only
 * after the check passed.
 */
public final class NativeSwitchProvider implements SwitchProvider {

    public static final String NAME = "native";

    /** Above {@code loom} (100): with both on the class path, native is the default. */
    public static final int PRIORITY = 200;

    private static final String INTERNAL_PACKAGE = "jdk.internal.vm";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int priority() {
        return PRIORITY;
    }

    @Override
    public Optional<String> unavailableReason() {
        Module self = NativeSwitchProvider.class.getModule();
        if (Object.class.getModule().isExported(INTERNAL_PACKAGE, self)) {
            return Optional.empty();
        }
        // On the class path the flag names ALL-UNNAMED; on the module path, this module.
        String target = self.isNamed() ? self.getName() : "ALL-UNNAMED";
        return Optional.of("the native switch backend needs the JVM flag --add-exports java.base/"
                + INTERNAL_PACKAGE + "=" + target
                + " (see coro.jvmargs; run java @coro.jvmargs ...), or choose another backend (-Dcoro.switch=loom)");
    }

    @Override
    public SwitchBackend open(SwitchHost host) {
        Optional<String> reason = unavailableReason();
        if (reason.isPresent()) {
            throw new IllegalStateException(reason.get());
        }
        return NativeSwitchBackend.open(host, WatchdogSettings.fromSystemProperties());
    }
}
