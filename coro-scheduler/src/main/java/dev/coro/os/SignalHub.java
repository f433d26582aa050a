package dev.coro.os;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The JVM's handlers for the signals coros wait for, one per signal, installed (through the JDK's
 * {@code sun.misc.Signal}) by the first wait for that signal and kept for the life of the process:
 * removing it again would let a delivery between two waits take the signal's default action (for
 * most, the end of the process). A delivery with no waiter is dropped.
 *
 * <p>The handler runs on the JDK's signal dispatcher thread and completes the waiters' futures,
 * which reach their coros through the scheduler's cross-thread path. Pollers that see signals
 * themselves (kqueue's {@code EVFILT_SIGNAL}) still need the handler, for the disposition alone.
 */
final class SignalHub {
    private static final ConcurrentHashMap<Integer, Hub> HUBS = new ConcurrentHashMap<>();

    private SignalHub() {
    }

    /** A signal, resolved and with our handler installed. */
    static final class Hub {
        final String name;
        final int number;
        private final CopyOnWriteArrayList<Waiter> waiters = new CopyOnWriteArrayList<>();

        Hub(String name, int number) {
            this.name = name;
            this.number = number;
        }

        void deliver() {
            for (Waiter w : waiters) {
                w.count.incrementAndGet();
                w.fired.complete(null);
            }
        }

        Waiter register() {
            Waiter w = new Waiter(this);
            waiters.add(w);
            return w;
        }

        int waiters() {
            return waiters.size();
        }
    }

    /** One coro's wait: completed by the first delivery, counting the deliveries until it ends. */
    static final class Waiter implements AutoCloseable {
        final Hub hub;
        final CompletableFuture<Void> fired = new CompletableFuture<>();
        final AtomicInteger count = new AtomicInteger();

        Waiter(Hub hub) {
            this.hub = hub;
        }

        @Override
        public void close() {
            hub.waiters.remove(this);
        }
    }

    /**
     * The signal called {@code name} ("HUP", "SIGHUP", "usr1"), with the handler installed.
     *
     * @throws IllegalArgumentException for a name the JDK does not know, or a signal the JVM keeps for itself
     */
    static Hub claim(String name) {
        String bare = bareName(name);
        sun.misc.Signal sig;
        try {
            sig = new sun.misc.Signal(bare);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown signal '" + name + "': expected a name as kill -l lists them "
                    + "(HUP, USR1, WINCH, …)", e);
        }
        Hub hub = HUBS.get(sig.getNumber());
        if (hub != null) {
            return hub;
        }
        synchronized (HUBS) {
            hub = HUBS.get(sig.getNumber());
            if (hub == null) {
                Hub h = new Hub(bare, sig.getNumber());
                try {
                    sun.misc.Signal.handle(sig, s -> h.deliver());
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("signal " + bare + " cannot be waited for: " + e.getMessage()
                            + " (with -Xrs the JVM also keeps HUP, INT and TERM)", e);
                }
                HUBS.put(sig.getNumber(), h);
                hub = h;
            }
        }
        return hub;
    }

    private static String bareName(String name) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("signal name must not be empty: expected one as kill -l lists them (HUP, USR1, …)");
        }
        String n = name.strip().toUpperCase(java.util.Locale.ROOT);
        return n.startsWith("SIG") ? n.substring(3) : n;
    }
}
