package dev.coro.nativeswitch;

import dev.coro.spi.SwitchProvider;
import java.util.ServiceLoader;

/** Child JVM main, run without the add-exports flag: prints what the provider says. */
public final class UnavailableMain {

    public static void main(String[] args) {
        SwitchProvider provider = ServiceLoader.load(SwitchProvider.class).stream()
                .map(ServiceLoader.Provider::get)
                .filter(p -> p.name().equals("native"))
                .findFirst().orElseThrow();
        System.out.println("REASON " + provider.unavailableReason().orElse("<none>"));
        try {
            provider.open(new FakeHost()).close();
            System.out.println("OPEN succeeded");
        } catch (IllegalStateException e) {
            System.out.println("OPEN failed: " + e.getMessage());
        }
    }
}
