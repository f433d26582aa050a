package dev.coro.poll.kqueue;

import dev.coro.spi.JvmArgs;
import dev.coro.spi.Poller;
import dev.coro.spi.PollerProvider;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The {@code kqueue} poller's entry point, found by {@link java.util.ServiceLoader}. Usable on
 * FreeBSD and macOS, and on Linux with the test shim ({@value KqueueNative#LIBRARY_PROPERTY}).
 *
 * <p>Invariant: {@link #unavailableReason()} checks the JVM flags before it touches JNA, so that a
 * JVM without them gets the reason instead of a warning or an {@link IllegalAccessError}; only
 * {@link #open()} reaches {@link KqueuePoller}, and only after the check passed.
 */
public final class KqueuePollerProvider implements PollerProvider {

    public static final String NAME = "kqueue";

    /** Above {@code nio} (100): where the OS has kqueue and this module is present, it is the default. */
    public static final int PRIORITY = 200;

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
        List<String> missing = missingFlags();
        if (!missing.isEmpty()) {
            return Optional.of("poller kqueue needs the JVM flag" + (missing.size() > 1 ? "s " : " ")
                    + String.join(" and ", missing) + " (it reads a NIO channel's fd from sun.nio.ch.SelChImpl and"
                    + " calls kevent through JNA; the flags are in coro.jvmargs)");
        }
        try {
            return KqueueNative.unavailableReason().map(r -> "poller kqueue cannot run here: " + r);
        } catch (LinkageError e) {
            return Optional.of("poller kqueue cannot run here: JNA (net.java.dev.jna:jna) is missing or broken: " + e);
        }
    }

    static List<String> missingFlags() {
        List<String> missing = new ArrayList<>();
        Module self = KqueuePollerProvider.class.getModule();
        if (!Object.class.getModule().isExported("sun.nio.ch", self)) {
            missing.add("--add-exports java.base/sun.nio.ch=" + (self.isNamed() ? self.getName() : "ALL-UNNAMED"));
        }
        try {
            // Native.class names the class without initialising it (which would load JNA's library).
            Module jna = com.sun.jna.Native.class.getModule();
            if (!jna.isNativeAccessEnabled()) {
                missing.add("--enable-native-access=" + (jna.isNamed() ? jna.getName() : "ALL-UNNAMED"));
            }
        } catch (LinkageError e) {
            // No JNA at all: unavailableReason says so.
        }
        return missing;
    }

    @Override
    public Poller open() throws IOException {
        Optional<String> reason = unavailableReason();
        if (reason.isPresent()) {
            throw new IllegalStateException(reason.get() + ". " + JvmArgs.howToGet(KqueuePollerProvider.class.getModule()));
        }
        return new KqueuePoller();
    }
}
