package dev.coro.tck.teeth;

import dev.coro.tck.KitRunSettings;
import net.jqwik.api.Property;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.discovery.DiscoverySelectors;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

import java.io.IOException;
import java.lang.reflect.Method;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The seed contract of {@link KitRunSettings} (coro-tck/README.md, "Tries, seeds and deep runs"):
 * the default run draws the same values every time, also right after a failing run; a given seed
 * replays; {@code random} draws afresh; and every property of the kit runs under these settings.
 */
class KitRunSettingsTest {
    private String seedBefore;
    private String triesBefore;

    @BeforeEach
    void saveSettings() {
        seedBefore = System.getProperty(KitRunSettings.SEED);
        triesBefore = System.getProperty(KitRunSettings.TRIES);
        System.clearProperty(KitRunSettings.SEED);
        System.clearProperty(KitRunSettings.TRIES);
    }

    @AfterEach
    void restoreSettings() {
        restore(KitRunSettings.SEED, seedBefore);
        restore(KitRunSettings.TRIES, triesBefore);
    }

    @Test
    void theDefaultRunDrawsTheSameValuesEveryTime() {
        List<Long> first = draw("draws");
        assertEquals(20, first.size(), "tries");
        assertEquals(first, draw("draws"), "two default runs drew different values");
    }

    @Test
    void aFailingRunDoesNotChangeWhatTheNextRunDraws() {
        // jqwik's default (SAMPLE_FIRST) would start the second run with the first run's shrunk sample.
        List<Long> first = draw("failsOnEverySample");
        List<Long> second = draw("failsOnEverySample");
        assertEquals(first.getFirst(), second.getFirst(), "the run after a failure started from another sample");
        assertEquals(first, second, "the run after a failure drew (or shrank) differently");
    }

    @Test
    void aGivenSeedReplaysAndRandomSeedsDiffer() {
        List<Long> byDefault = draw("draws");
        System.setProperty(KitRunSettings.SEED, "4242");
        List<Long> seeded = draw("draws");
        assertEquals(seeded, draw("draws"), "the same explicit seed drew different values");
        assertNotEquals(byDefault, seeded, "an explicit seed drew the default's values");
        System.setProperty(KitRunSettings.SEED, "random");
        assertNotEquals(draw("draws"), draw("draws"), "two random seeds drew the same 20 longs");
    }

    @Test
    void aDeepRunSetsTheTriesAndDrawsAtRandom() {
        System.setProperty(KitRunSettings.TRIES, "7");
        List<Long> a = draw("draws");
        assertEquals(7, a.size(), "tries of a deep run");
        assertNotEquals(a, draw("draws"), "a deep run without a seed should draw at random");
        System.setProperty(KitRunSettings.SEED, "fixed");
        assertEquals(draw("draws"), draw("draws"), "a deep run with -Dcoro.tck.seed=fixed drew differently");
    }

    @Test
    void aFailureNamesTheSeedThatReplaysIt() {
        System.setProperty(KitRunSettings.SEED, "977");
        List<Throwable> failures = run("failsOnEverySample");
        assertEquals(1, failures.size(), "failures");
        String message = String.valueOf(failures.getFirst().getMessage());
        assertTrue(message.startsWith("fails on every sample"), message);
        assertTrue(message.contains("-D" + KitRunSettings.SEED + "=977"), message);
    }

    @Test
    void everyPropertyOfTheKitRunsUnderKitRunSettings() throws IOException, URISyntaxException {
        Path classes = Path.of(KitRunSettings.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<String> missing = new ArrayList<>();
        int properties = 0;
        try (Stream<Path> files = Files.walk(classes)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".class")).toList()) {
                String name = classes.relativize(f).toString().replace('/', '.').replaceAll("\\.class$", "");
                Class<?> c;
                try {
                    c = Class.forName(name, false, KitRunSettings.class.getClassLoader());
                } catch (ClassNotFoundException | LinkageError e) {
                    continue; // not loadable on its own (e.g. a class initializer meant to pin)
                }
                for (Method m : c.getDeclaredMethods()) {
                    if (m.isAnnotationPresent(Property.class)) {
                        properties++;
                        AddLifecycleHook hook = m.getAnnotation(AddLifecycleHook.class);
                        if (hook == null || !Arrays.asList(hook.value()).contains(KitRunSettings.class)) {
                            missing.add(c.getSimpleName() + "." + m.getName());
                        }
                    }
                }
            }
        }
        assertTrue(properties >= 20, "found only " + properties + " properties under " + classes);
        assertTrue(missing.isEmpty(), "properties without @AddLifecycleHook(KitRunSettings.class), so with "
                + "jqwik's random seed: " + missing);
    }

    /** Runs one probe; returns what it drew. */
    private static List<Long> draw(String probe) {
        run(probe);
        return List.copyOf(RunSettingsProbes.DRAWN);
    }

    private static List<Throwable> run(String method) {
        RunSettingsProbes.DRAWN.clear();
        List<Throwable> failures = new ArrayList<>();
        LauncherFactory.create().execute(LauncherDiscoveryRequestBuilder.request()
                .selectors(DiscoverySelectors.selectMethod(RunSettingsProbes.class, probe(method))).build(),
                new TestExecutionListener() {
                    @Override
                    public void executionFinished(TestIdentifier id, TestExecutionResult result) {
                        if (id.isTest() && result.getStatus() == TestExecutionResult.Status.FAILED) {
                            result.getThrowable().ifPresent(failures::add);
                        }
                    }
                });
        return failures;
    }

    private static Method probe(String name) {
        return Arrays.stream(RunSettingsProbes.class.getDeclaredMethods()).filter(m -> m.getName().equals(name))
                .findFirst().orElseThrow(() -> new AssertionError("no probe " + name));
    }

    private static void restore(String key, String value) {
        if (value == null) {
            System.clearProperty(key);
        } else {
            System.setProperty(key, value);
        }
    }
}
