package dev.coro.tck.switching;

import dev.coro.spi.SwitchBackend;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * Runs {@link PinnedInitializer}'s initializer in a fresh class loader and reports what the
 * backend's suspend did there. Invariant: one probe at a time (the kit runs its tests serially).
 */
public final class PinProbe {
    private static volatile SwitchBackend backend;
    private static volatile Throwable thrown;
    private static volatile boolean returned;

    private PinProbe() {
    }

    /** Called from the initializer: suspend, recording how it went. */
    public static void suspendInInitializer() {
        try {
            backend.suspend();
            returned = true;
        } catch (Throwable t) {
            thrown = t;
        }
    }

    /** Initializes a fresh copy of {@link PinnedInitializer} with {@code b}'s suspend; call inside a coroutine. */
    static void initializeFreshCopy(SwitchBackend b) {
        backend = b;
        thrown = null;
        returned = false;
        try {
            Class.forName(PinnedInitializer.class.getName(), true, new FreshLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
    }

    static Throwable thrown() {
        return thrown;
    }

    static boolean returned() {
        return returned;
    }

    /** Defines {@link PinnedInitializer} itself (so its initializer runs again); delegates the rest. */
    private static final class FreshLoader extends ClassLoader {
        FreshLoader() {
            super(PinProbe.class.getClassLoader());
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
