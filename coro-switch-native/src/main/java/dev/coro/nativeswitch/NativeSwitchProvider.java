package dev.coro.nativeswitch;

import dev.coro.spi.JvmArgs;
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
        // On the class path the flag names ALL-UNNAMED; on the module path, this module. Where to get
        // the argfile, and which other backend to choose, the scheduler adds: it knows what was found.
        String target = self.isNamed() ? self.getName() : "ALL-UNNAMED";
        return Optional.of("switch backend native needs the JVM flag --add-exports java.base/"
                + INTERNAL_PACKAGE + "=" + target + " (it drives " + INTERNAL_PACKAGE
                + ".Continuation; the flag is in coro.jvmargs)");
    }

    @Override
    public SwitchBackend open(SwitchHost host) {
        Optional<String> reason = unavailableReason();
        if (reason.isPresent()) {
            throw new IllegalStateException(reason.get() + ". " + JvmArgs.howToGet(NativeSwitchProvider.class.getModule()));
        }
        return NativeSwitchBackend.open(host, WatchdogSettings.fromSystemProperties());
    }
}
