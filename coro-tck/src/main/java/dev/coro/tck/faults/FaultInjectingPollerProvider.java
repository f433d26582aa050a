package dev.coro.tck.faults;

import dev.coro.spi.Poller;
import dev.coro.spi.PollerProvider;

import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * Poller {@value FaultInjector#POLLER}: the poller of the installed {@link FaultInjector}'s plan,
 * wrapped in its faults. Register it in your test resources
 * ({@code META-INF/services/dev.coro.spi.PollerProvider}: the line
 * {@code dev.coro.tck.faults.FaultInjectingPollerProvider}); it has the lowest priority and cannot run
 * while no injector is installed, so it is used only where a scheduler asks for it by name.
 */
public final class FaultInjectingPollerProvider implements PollerProvider {

    @Override
    public String name() {
        return FaultInjector.POLLER;
    }

    @Override
    public int priority() {
        return Integer.MIN_VALUE;
    }

    @Override
    public Optional<String> unavailableReason() {
        FaultInjector f = FaultInjector.installed();
        if (f == null) {
            return Optional.of("no FaultInjector is installed (FaultInjector.install(plan) first; "
                    + "poller '" + FaultInjector.POLLER + "' is for tests that inject faults)");
        }
        String name = f.plan().poller();
        List<PollerProvider> found = pollers();
        PollerProvider inner = named(name, found);
        if (inner == null) {
            return Optional.of(notFound(name, found));
        }
        return inner.unavailableReason().map(why -> "the poller it wraps, '" + name + "', cannot run: " + why);
    }

    @Override
    public Poller open() throws IOException {
        FaultInjector f = FaultInjector.installed();
        if (f == null) {
            throw new IllegalStateException(unavailableReason().orElseThrow());
        }
        String name = f.plan().poller();
        List<PollerProvider> found = pollers();
        PollerProvider inner = named(name, found);
        if (inner == null) {
            throw new IllegalArgumentException(notFound(name, found));
        }
        return new FaultInjectingPoller(f, inner.open());
    }

    private static List<PollerProvider> pollers() {
        return ServiceLoader.load(PollerProvider.class, FaultInjectingPollerProvider.class.getClassLoader())
                .stream().map(ServiceLoader.Provider::get).toList();
    }

    private static PollerProvider named(String name, List<PollerProvider> found) {
        return found.stream().filter(p -> p.name().equals(name)).findFirst().orElse(null);
    }

    private static String notFound(String name, List<PollerProvider> found) {
        return "the poller it wraps (FaultPlan.poller), '" + name + "', is not on the class path; found: "
                + String.join(", ", found.stream().map(PollerProvider::name).toList());
    }
}
