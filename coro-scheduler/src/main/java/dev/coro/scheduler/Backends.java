package dev.coro.scheduler;

import dev.coro.spi.JvmArgs;
import dev.coro.spi.PollerProvider;
import dev.coro.spi.SwitchProvider;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.function.ToIntFunction;
import java.util.stream.Collectors;

/**
 * Finds backends through ServiceLoader and picks one (SPEC.md §1): the builder's choice, else the
 * system property ({@code coro.switch}, {@code coro.poller}), else the first usable in priority order.
 * A named backend that is absent or cannot run is an error naming what was found and why; it suggests
 * another backend only if one was found, else the dependency that would bring one.
 */
final class Backends {
    private static final System.Logger LOG = System.getLogger("dev.coro.scheduler");

    /** coro's own backends and the artifact of each, for "add the dependency" advice. */
    private static final Map<String, String> SWITCH_ARTIFACTS = artifacts("native", "coro-switch-native",
            "loom", "coro-switch-loom");
    private static final Map<String, String> POLLER_ARTIFACTS = artifacts("nio", "coro-poll-nio",
            "kqueue", "coro-poll-kqueue");

    /** The no-poller warning is about the class path, not one scheduler (the kit builds thousands): say it once. */
    private static final AtomicBoolean NO_POLLER_WARNED = new AtomicBoolean();
    static final String NO_POLLER_WARNING = "no poller on the class path: this scheduler cannot do I/O, and every "
            + "dev.coro.net socket operation will fail; add the dependency dev.coro:coro-poll-nio";

    private Backends() {
    }

    static SwitchProvider chooseSwitch(String requested) {
        List<SwitchProvider> found = load(SwitchProvider.class, SwitchProvider::priority);
        SwitchProvider p = choose(new Kind<>("switch backend", "coro.switch", "switcher", SWITCH_ARTIFACTS,
                SwitchProvider::name, SwitchProvider::unavailableReason), requested, found);
        if (p == null) {
            throw new IllegalStateException("no switch backend on the class path: add the dependency "
                    + "dev.coro:coro-switch-native or dev.coro:coro-switch-loom");
        }
        return p;
    }

    /**
     * Null when no poller module is present at all (the scheduler then parks instead of polling, and
     * says so once, here at build time rather than at the first accept).
     */
    static PollerProvider choosePoller(String requested) {
        List<PollerProvider> found = load(PollerProvider.class, PollerProvider::priority);
        PollerProvider p = choose(new Kind<>("poller", "coro.poller", "poller", POLLER_ARTIFACTS,
                PollerProvider::name, PollerProvider::unavailableReason), requested, found);
        if (p == null && NO_POLLER_WARNED.compareAndSet(false, true)) {
            LOG.log(System.Logger.Level.WARNING, NO_POLLER_WARNING);
        }
        return p;
    }

    private static <P> List<P> load(Class<P> type, ToIntFunction<P> priority) {
        return ServiceLoader.load(type, Backends.class.getClassLoader()).stream()
                .map(ServiceLoader.Provider::get)
                .sorted(Comparator.comparingInt(priority).reversed())
                .toList();
    }

    /** What differs between switch backends and pollers in the messages. */
    private record Kind<P>(String noun, String property, String builderMethod, Map<String, String> artifacts,
                           Function<P, String> name, Function<P, Optional<String>> unavailable) {
    }

    private static <P> P choose(Kind<P> kind, String requested, List<P> found) {
        String source = requested != null ? "Scheduler.builder()" : "-D" + kind.property();
        if (requested == null) {
            requested = System.getProperty(kind.property());
        }
        String names = found.isEmpty() ? "none" : found.stream().map(kind.name()).collect(Collectors.joining(", "));
        if (requested != null) {
            String want = requested.trim();
            P match = found.stream().filter(p -> kind.name().apply(p).equals(want)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("unknown " + kind.noun() + " '" + want
                            + "' (from " + source + "); found on the class path: " + names
                            + ifAny("; coro also has dev.coro:", missingArtifacts(kind, found), "")));
            Optional<String> why = kind.unavailable().apply(match);
            if (why.isPresent()) {
                throw new IllegalStateException(kind.noun() + " '" + want + "' cannot run in this JVM: " + why.get()
                        + ". " + JvmArgs.howToGet(match.getClass().getModule()) + alternatives(kind, found, match));
            }
            return match;
        }
        if (found.isEmpty()) {
            return null;
        }
        StringBuilder skipped = new StringBuilder();
        for (P p : found) {
            Optional<String> why = kind.unavailable().apply(p);
            if (why.isEmpty()) {
                if (!skipped.isEmpty()) {
                    LOG.log(System.Logger.Level.WARNING, "using " + kind.noun() + " '" + kind.name().apply(p)
                            + "'; skipped" + skipped);
                }
                return p;
            }
            skipped.append("\n  ").append(kind.name().apply(p)).append(": ").append(why.get());
        }
        throw new IllegalStateException("no " + kind.noun() + " can run in this JVM (found: " + names + "):" + skipped
                + "\n" + JvmArgs.howToGet(found.getFirst().getClass().getModule())
                + ifAny("\nOr add another " + kind.noun() + ": dev.coro:", missingArtifacts(kind, found), "."));
    }

    /**
     * After "chosen cannot run": the found backends that can run (how to pick one), or, when none was
     * found besides it, the dependencies of coro's other backends.
     */
    private static <P> String alternatives(Kind<P> kind, List<P> found, P chosen) {
        List<String> runnable = new ArrayList<>();
        List<String> broken = new ArrayList<>();
        for (P p : found) {
            if (p == chosen) {
                continue;
            }
            String n = kind.name().apply(p);
            Optional<String> why = kind.unavailable().apply(p);
            if (why.isEmpty()) {
                runnable.add(n);
            } else {
                broken.add(n + " (" + why.get() + ")");
            }
        }
        if (!runnable.isEmpty()) {
            String n = runnable.getFirst();
            return " Or choose " + String.join(" or ", runnable.stream().map(r -> "'" + r + "'").toList())
                    + ", which can run here: -D" + kind.property() + "=" + n + " or Scheduler.builder()."
                    + kind.builderMethod() + "(\"" + n + "\").";
        }
        if (!broken.isEmpty()) {
            return " Also found, and unable to run either: " + String.join("; ", broken) + ".";
        }
        return ifAny(" Or add another " + kind.noun() + ": dev.coro:", missingArtifacts(kind, found), ".");
    }

    /** coro's backends of this kind that were not found, as "artifact (name)". */
    private static <P> List<String> missingArtifacts(Kind<P> kind, List<P> found) {
        List<String> names = found.stream().map(kind.name()).toList();
        return kind.artifacts().entrySet().stream()
                .filter(e -> !names.contains(e.getKey()))
                .map(e -> e.getValue() + " (" + e.getKey() + ")")
                .toList();
    }

    private static String ifAny(String prefix, List<String> items, String suffix) {
        return items.isEmpty() ? "" : prefix + String.join(" or dev.coro:", items) + suffix;
    }

    private static Map<String, String> artifacts(String... nameThenArtifact) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < nameThenArtifact.length; i += 2) {
            m.put(nameThenArtifact[i], nameThenArtifact[i + 1]);
        }
        return m;
    }
}
