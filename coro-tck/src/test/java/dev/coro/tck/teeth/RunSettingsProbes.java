package dev.coro.tck.teeth;

import dev.coro.tck.KitRunSettings;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.lifecycle.AddLifecycleHook;

import java.util.ArrayList;
import java.util.List;

/**
 * Properties that only record what jqwik drew, under {@link KitRunSettings}. Not a test by itself
 * (no {@code Test} suffix): {@link KitRunSettingsTest} runs them through the launcher.
 */
public final class RunSettingsProbes {
    /** What the last run of a probe drew, in order (jqwik runs one try at a time). */
    static final List<Long> DRAWN = new ArrayList<>();

    @Property(tries = 20)
    @AddLifecycleHook(KitRunSettings.class)
    void draws(@ForAll long x) {
        DRAWN.add(x);
    }

    /** Fails on every sample, so that jqwik stores a failure (seed and shrunk sample) in its database. */
    @Property(tries = 20)
    @AddLifecycleHook(KitRunSettings.class)
    void failsOnEverySample(@ForAll long x) {
        DRAWN.add(x);
        throw new AssertionError("fails on every sample");
    }
}
