package dev.coro.tck.switching;

import dev.coro.CoroPinnedException;
import dev.coro.spi.SwitchBackend;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs {@link PinnedInitializer}'s initializer in a fresh class loader and reports what each of the
 * backend's suspends did there. Invariant: each probe's state lives in its own loader, so probes in
 * several coroutines of one backend (even interleaved, by a backend that wrongly switches there)
 * never mix their outcomes.
 */
public final class PinProbe {
    private PinProbe() {
    }

    /**
     * Called from the initializer (loaded by a {@link FreshLoader}): makes the probe's suspends,
     * recording how each went ("CoroPinnedException", "returned" or what else was thrown).
     */
    public static void suspendInInitializer(ClassLoader loader) {
        FreshLoader probe = (FreshLoader) loader;
        for (int i = 0; i < probe.attempts; i++) {
            try {
                probe.backend.suspend();
                probe.outcomes.add("returned");
            } catch (CoroPinnedException e) {
                probe.outcomes.add(e.getMessage() == null || e.getMessage().isBlank()
                        ? "CoroPinnedException without a message" : "CoroPinnedException");
            } catch (Throwable t) {
                probe.outcomes.add("threw " + t);
            }
        }
    }

    /**
     * Initializes a fresh copy of {@link PinnedInitializer}, whose initializer calls {@code b}'s
     * suspend {@code attempts} times; call inside a coroutine. Returns each suspend's outcome.
     */
    static List<String> initializeFreshCopy(SwitchBackend b, int attempts) {
        FreshLoader loader = new FreshLoader(b, attempts);
        try {
            Class.forName(PinnedInitializer.class.getName(), true, loader);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
        return List.copyOf(loader.outcomes);
    }

    /** Defines {@link PinnedInitializer} itself (so its initializer runs again); delegates the rest. */
    private static final class FreshLoader extends ClassLoader {
        final SwitchBackend backend;
        final int attempts;
        final List<String> outcomes = new ArrayList<>();

        FreshLoader(SwitchBackend backend, int attempts) {
            super(PinProbe.class.getClassLoader());
            this.backend = backend;
            this.attempts = attempts;
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (!name.equals(PinnedInitializer.class.getName())) {
                return super.loadClass(name, resolve);
            }
            synchronized (getClassLoadingLock(name)) {
                Class<?> c = findLoadedClass(name);
                if (c == null) {
                    String resource = name.replace('.', '/') + ".class";
                    try (InputStream in = getParent().getResourceAsStream(resource)) {
                        byte[] bytes = in.readAllBytes();
                        c = defineClass(name, bytes, 0, bytes.length);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
                return c;
            }
        }
    }
}
