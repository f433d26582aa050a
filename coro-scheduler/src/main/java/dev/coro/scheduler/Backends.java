package dev.coro.scheduler;

import dev.coro.spi.PollerProvider;
import dev.coro.spi.SwitchProvider;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.function.Function;
import java.util.function.ToIntFunction;
import java.util.stream.Collectors;

/**
 * Finds backends through ServiceLoader and picks one (DESIGN.md §1): the builder's choice, else the
 * system property ({@code coro.switch}, {@code coro.poller}), else the first usable in priority order.
 * A named backend that is absent or cannot run is an error naming what was found and why.
 */
final class Backends {
    private static final System.Logger LOG = System.getLogger("dev.coro.scheduler");

    private Backends() {
    }

    static SwitchProvider chooseSwitch(String requested) {
        List<SwitchProvider> found = load(SwitchProvider.class, SwitchProvider::priority);
        SwitchProvider p = choose("switch backend", "coro.switch", requested, found, SwitchProvider::name,
                SwitchProvider::unavailableReason);
        if (p == null) {
            throw new IllegalStateException("no switch backend on the class path: add the dependency "
                    + "dev.coro:coro-switch-native or dev.coro:coro-switch-loom");
        }
        return p;
    }

    /** Null when no poller module is present at all (the scheduler then parks instead of polling). */
    static PollerProvider choosePoller(String requested) {
        List<PollerProvider> found = load(PollerProvider.class, PollerProvider::priority);
        return choose("poller", "coro.poller", requested, found, PollerProvider::name,
                PollerProvider::unavailableReason);
    }

    private static <P> List<P> load(Class<P> type, ToIntFunction<P> priority) {
        return ServiceLoader.load(type, Backends.class.getClassLoader()).stream()
                .map(ServiceLoader.Provider::get)
                .sorted(Comparator.comparingInt(priority).reversed())
                .toList();
    }

    private static <P> P choose(String kind, String property, String requested, List<P> found,
                                Function<P, String> name, Function<P, Optional<String>> unavailable) {
        String source = requested != null ? "Scheduler.builder()" : "-D" + property;
        if (requested == null) {
            requested = System.getProperty(property);
        }
        String names = found.isEmpty() ? "none" : found.stream().map(name).collect(Collectors.joining(", "));
        if (requested != null) {
            String want = requested.trim();
            P match = found.stream().filter(p -> name.apply(p).equals(want)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("unknown " + kind + " '" + want + "' (from "
                            + source + "); found on the class path: " + names));
            unavailable.apply(match).ifPresent(why -> {
                throw new IllegalStateException(kind + " '" + want + "' cannot run in this JVM: " + why);
            });
            return match;
        }
        if (found.isEmpty()) {
            return null;
        }
        StringBuilder skipped = new StringBuilder();
        for (P p : found) {
            Optional<String> why = unavailable.apply(p);
            if (why.isEmpty()) {
                if (!skipped.isEmpty()) {
                    LOG.log(System.Logger.Level.WARNING, "using " + kind + " '" + name.apply(p) + "'; skipped" + skipped);
                }
                return p;
            }
            skipped.append("\n  ").append(name.apply(p)).append(": ").append(why.get());
        }
        throw new IllegalStateException("no " + kind + " can run in this JVM (found: " + names + "):" + skipped);
    }
}
