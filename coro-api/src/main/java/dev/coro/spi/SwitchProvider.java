package dev.coro.spi;

import java.util.Optional;

/**
 * A switch backend, found through {@link java.util.ServiceLoader} ({@code META-INF/services} on the
 * class path). The default order is by {@link #priority()}, highest first.
 */
public interface SwitchProvider {

    /** The name users select it by ({@code -Dcoro.switch=NAME}, {@code builder().switcher(NAME)}). */
    String name();

    /** Higher comes first in the default order ({@code native} 200, {@code loom} 100). */
    int priority();

    /**
     * Empty when the backend can run in this JVM; otherwise why not, naming the missing JVM flag
     * (e.g. {@code --add-exports java.base/jdk.internal.vm=ALL-UNNAMED}). Cheap; no side effects.
     */
    Optional<String> unavailableReason();

    /** Opens a backend for one run of a scheduler; called on the scheduler thread. */
    SwitchBackend open(SwitchHost host);

    /**
     * The most coroutines one opened backend can hold at once (created and not yet done), where that
     * is fewer than a scheduler may ask for: e.g. a backend whose every coroutine is a platform thread
     * declares what the machine's thread limit allows. A declaration, not a check: the compatibility
     * kit scales its many-coroutine checks to it (coro-tck/README.md), and a scheduler that needs more
     * than this gets the backend's own failure. Default: no limit ({@link Integer#MAX_VALUE}).
     */
    default int maxLiveCoroutines() {
        return Integer.MAX_VALUE;
    }
}
