package dev.coro.tck;

import net.jqwik.api.AfterFailureMode;
import net.jqwik.api.FixedSeedMode;
import net.jqwik.api.lifecycle.AroundPropertyHook;
import net.jqwik.api.lifecycle.PropertyExecutionResult;
import net.jqwik.api.lifecycle.PropertyExecutor;
import net.jqwik.api.lifecycle.PropertyLifecycleContext;

import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * How every jqwik property of the kit runs: its tries and its seed. Every {@code @Property} of the
 * repository carries {@code @AddLifecycleHook(KitRunSettings.class)}.
 * <ul>
 * <li>Default run: each property's {@code @Property(tries = …)} (the whole kit well under 2 minutes
 * per backend) and a <em>fixed</em> seed derived from the property's method name, so that a run draws
 * the same programs on every machine, every backend and every rerun.</li>
 * <li>Deep run: {@code -Dcoro.tck.tries=N} sets every property to N tries and, unless a seed is given,
 * draws a fresh random seed per property and prints it.</li>
 * <li>{@code -Dcoro.tck.seed=random} (random seeds, printed), {@code =fixed} (the default's seeds, also
 * in a deep run), or {@code =<long>} (that seed for every property: replays a printed seed).</li>
 * </ul>
 * Invariant: the seed in force is never taken from jqwik's failure database, so a run does not
 * depend on the runs before it; a failing property always prints the seed that replays it, and
 * names the rule of its name ({@link Rule#ofTestName}) once, also when what it threw was no
 * {@link RuleBrokenError} (resource exhaustion, a backend's own exception).
 */
public final class KitRunSettings implements AroundPropertyHook {

    /**
     * jqwik logs (INFO) "Edge case generation exceeds number of tries" for most of the kit's
     * properties, which is expected with generated programs and says nothing about the backend: a
     * green run prints nothing. A strong reference, so that the level is not lost with the logger.
     */
    private static final Logger EDGE_CASE_LOG = quiet("net.jqwik.engine.properties.RandomizedShrinkablesGenerator");

    /** Called before discovery by {@link QuietGreenRuns}, so that the level is set before jqwik's first note. */
    static void quietEdgeCaseLog() {
        EDGE_CASE_LOG.setLevel(Level.WARNING);
    }

    private static Logger quiet(String logger) {
        Logger l = Logger.getLogger(logger);
        l.setLevel(Level.WARNING);
        return l;
    }

    /** The system property of a deep run's tries. */
    public static final String TRIES = "coro.tck.tries";

    /** The system property choosing the seed: {@code fixed} (default without tries), {@code random}, or a number. */
    public static final String SEED = "coro.tck.seed";

    @Override
    public PropertyExecutionResult aroundProperty(PropertyLifecycleContext context, PropertyExecutor property) {
        Integer tries = Integer.getInteger(TRIES);
        if (tries != null) {
            if (tries < 1) {
                throw new IllegalArgumentException("-D" + TRIES + " must be at least 1, got " + tries);
            }
            context.attributes().setTries(tries);
        }
        String name = context.targetMethod().getName();
        boolean random = randomSeeds(tries);
        String seed = chosenSeed(name, tries);
        context.attributes().setSeed(seed);
        // Our seed is set on purpose: a project-wide jqwik.seeds.whenfixed = FAIL must not refuse it.
        context.attributes().setWhenFixedSeed(FixedSeedMode.ALLOW);
        // Otherwise jqwik would first replay the sample (or seed) a previous failing run stored in
        // its database (jqwik.database), and a run would depend on the one before it. RANDOM_SEED
        // only turns that off: with a seed set, jqwik uses ours (its report still says "new random seed").
        context.attributes().setAfterFailure(AfterFailureMode.RANDOM_SEED);
        String where = context.containerClass().getSimpleName() + "." + name;
        // Tries too: jqwik's generated sizes depend on them, so a seed alone replays only at the same tries.
        String replayFlags = "-D" + SEED + "=" + seed + (tries != null ? " -D" + TRIES + "=" + tries : "");
        if (random) {
            System.out.println("coro-tck: " + where + " runs with random seed " + seed + " (replay: " + replayFlags + ")");
        }
        PropertyExecutionResult result = property.execute();
        if (result.status() != PropertyExecutionResult.Status.FAILED || result.throwable().isEmpty()) {
            return result;
        }
        // The failure itself carries the seed: test output may go to a file, the failure is what the console shows.
        String replay = "\n  (coro-tck: " + where + " ran with seed " + seed + "; replay it with " + replayFlags + ")";
        return result.mapToFailed(withReplay(Rule.ofTestName(name).orElse(null), result.throwable().get(), replay));
    }

    /**
     * {@code failure} with {@code replay} appended to its message; a RuleBrokenError stays one, naming
     * the same rule; any other failure of a property named after {@code rule} becomes one.
     */
    private static Throwable withReplay(Rule rule, Throwable failure, String replay) {
        AssertionError named;
        if (failure instanceof RuleBrokenError r) {
            named = new RuleBrokenError(r.rule(), r.details() + replay, r.getCause());
        } else if (rule != null && failure instanceof VirtualMachineError) {
            RuleBrokenError e = KitBounds.exhausted(rule, "the property", failure);
            named = new RuleBrokenError(rule, e.details() + replay, failure);
        } else if (rule != null && !Rule.named(failure.getMessage())) {
            named = new RuleBrokenError(rule, failure + replay, failure);
        } else {
            String what = failure instanceof AssertionError && failure.getMessage() != null ? failure.getMessage()
                    : failure.toString();
            named = new AssertionError(what + replay, failure);
        }
        named.setStackTrace(failure.getStackTrace());
        return named;
    }

    /**
     * The seed of a kit check that draws its own random numbers outside jqwik (the fault injection
     * verification), chosen as a property's is: fixed from {@code name} in a default run;
     * {@code -Dcoro.tck.seed=random}, or a deep run ({@code -Dcoro.tck.tries}), draws one and prints it
     * with {@code where}; {@code -Dcoro.tck.seed=<long>} replays one.
     */
    public static long seedOf(String name, String where) {
        Integer tries = Integer.getInteger(TRIES);
        long seed = Long.parseLong(chosenSeed(name, tries));
        if (randomSeeds(tries)) {
            System.out.println("coro-tck: " + where + " runs with random seed " + seed + " (replay: "
                    + replayFlags(seed) + ")");
        }
        return seed;
    }

    /** The flag that replays {@code seed} in a check of {@link #seedOf}. */
    public static String replayFlags(long seed) {
        return "-D" + SEED + "=" + seed;
    }

    private static boolean randomSeeds(Integer tries) {
        return seedChoice(tries).equals("random");
    }

    private static String seedChoice(Integer tries) {
        return System.getProperty(SEED, tries != null ? "random" : "fixed").trim().toLowerCase(Locale.ROOT);
    }

    private static String chosenSeed(String name, Integer tries) {
        String choice = seedChoice(tries);
        // Not SecureRandom: its first use keeps /dev/urandom open for good, which the fd checks would count.
        return choice.equals("random") ? Long.toString(ThreadLocalRandom.current().nextLong())
                : choice.equals("fixed") ? fixedSeed(name)
                : parsed(choice);
    }

    /** The default seed of a property: stable across runs and backends (String.hashCode is specified). */
    static String fixedSeed(String propertyName) {
        return Long.toString(0xC0C0_0000_0000L + (propertyName.hashCode() & 0xFFFF_FFFFL));
    }

    private static String parsed(String seed) {
        try {
            return Long.toString(Long.parseLong(seed));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("-D" + SEED + " must be fixed, random or a number (a seed the kit "
                    + "printed), got " + seed, e);
        }
    }

    @Override
    public int aroundPropertyProximity() {
        return -100; // outermost: before jqwik reads the attributes
    }
}
