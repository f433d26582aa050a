package dev.coro.tck.teeth;

import dev.coro.tck.Rule;
import dev.coro.tck.poll.BrokenPollers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.discovery.DiscoverySelectors;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

import java.io.IOException;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The kit has teeth: each deliberately broken backend, run through the kit with the JUnit Platform
 * launcher, must make the named check FAIL with the rule it breaks in the failure message.
 * Invariant: one case per broken variant; the summary line reports caught / tried.
 */
class KitHasTeethTest {

    /** A broken variant: the kit class bound to it, the check to run, and the rule it must name. */
    record Variant(String what, Class<?> kit, String check, Rule rule) {
        @Override
        public String toString() {
            return what + " -> " + rule.prefix();
        }
    }

    private static final AtomicInteger TRIED = new AtomicInteger();
    private static final AtomicInteger CAUGHT = new AtomicInteger();

    static Stream<Variant> variants() {
        return Stream.of(
                new Variant("switch backend that swallows a body's failure", KitOnBrokenBackends.SwallowsFailureSwitch.class,
                        "switch_valuesAndFailuresCrossTheSwitchInAnyResumeOrder", Rule.SWITCH),
                new Variant("switch backend that runs another coroutine than asked", KitOnBrokenBackends.RunsAnotherCoroutineSwitch.class,
                        "switch_valuesAndFailuresCrossTheSwitchInAnyResumeOrder", Rule.SWITCH),
                new Variant("switch backend whose stack traces are empty", KitOnBrokenBackends.EmptyStackTraceSwitch.class,
                        "switch_stackTraceOfASuspendedCoroutineShowsWhereItWaits", Rule.SWITCH),
                new Variant("switch backend whose suspend sometimes does not switch", KitOnBrokenBackends.SkipsSuspendSwitch.class,
                        "switch_deepStacksSurviveRoundTrips", Rule.SWITCH),
                new Variant("switch backend that switches where it should report a pin", KitOnBrokenBackends.MissesThePinSwitch.class,
                        "pinned_suspendInAClassInitializerIsReportedNotHung", Rule.SWITCH_PINNED),
                new Variant("scheduler over a backend whose suspend in a sleep does not switch (sleepers wake early)", KitOnBrokenBackends.WakesSleepersEarlyScheduling.class,
                        "rule4_sleepersWakeAtTheirDeadlineAndTiesInCallOrder", Rule.RULE_4),
                new Variant("scheduler over a backend that runs another coroutine (pass order broken)", KitOnBrokenBackends.RunsAnotherCoroutineScheduling.class,
                        "rule2_passesRunCorosInScheduleOrder", Rule.RULE_2),
                new Variant("scheduler whose yieldSlice does not wait for the timer phase", KitOnBrokenBackends.SkipsSuspendRunOrder.class,
                        "rule3_yieldSliceRunsAgainOnlyAfterTheTimerAndIoPhase", Rule.RULE_3),
                new Variant("poller that reports a readiness twice", KitOnBrokenPollersIndex.REPORTS_TWICE,
                        "pollOnce_readinessFiresOncePerRegistration", Rule.POLLER_ONCE),
                new Variant("poller that drops readiness", KitOnBrokenPollersIndex.DROPS,
                        "pollNoneLost_randomInterleavingsLoseNoReadiness", Rule.POLLER_NONE_LOST),
                new Variant("poller whose cancel does nothing", KitOnBrokenPollersIndex.IGNORES_CANCEL,
                        "pollNoneLost_randomInterleavingsLoseNoReadiness", Rule.POLLER_NONE_LOST),
                new Variant("poller deaf to wakeup()", KitOnBrokenPollersIndex.DEAF,
                        "pollWakeup_wakeupFromAnotherThreadReturnsABlockedPoll", Rule.POLLER_WAKEUP),
                new Variant("poller that leaves its selector open on close", KitOnBrokenPollersIndex.LEAKS,
                        "pollClose_closeCancelsWhatIsLeftAndLeavesNoFd", Rule.POLLER_CLOSE));
    }

    /** Short names for the poller bindings (keeps the table above readable). */
    private static final class KitOnBrokenPollersIndex {
        static final Class<?> REPORTS_TWICE = KitOnBrokenBackends.ReportsTwicePoller.class;
        static final Class<?> DROPS = KitOnBrokenBackends.DropsReadinessPoller.class;
        static final Class<?> IGNORES_CANCEL = KitOnBrokenBackends.IgnoresCancelPoller.class;
        static final Class<?> DEAF = KitOnBrokenBackends.DeafToWakeupPoller.class;
        static final Class<?> LEAKS = KitOnBrokenBackends.LeaksOnClosePoller.class;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("variants")
    void theKitFailsTheBrokenVariantNamingItsRule(Variant v) {
        TRIED.incrementAndGet();
        List<Throwable> failures = run(v.kit(), v.check());
        assertTrue(!failures.isEmpty(), "the kit passed " + v.what() + ": " + v.kit().getSimpleName() + "." + v.check());
        String message = String.valueOf(failures.getFirst().getMessage());
        // startsWith, not contains: a failure names the rule that broke first (a mention further on,
        // e.g. "while checking rule 4", does not count).
        assertTrue(message.startsWith(v.rule().broke()), "the kit failed " + v.what() + " but did not name "
                + v.rule().text() + " first; it said:\n" + message);
        CAUGHT.incrementAndGet();
    }

    @AfterAll
    static void report() throws IOException {
        System.out.println("coro-tck teeth: broken variants caught " + CAUGHT.get() + " / tried " + TRIED.get());
        for (Selector s : BrokenPollers.LeaksOnClose.LEAKED) {
            s.close();
        }
    }

    /** Runs one check of {@code kit} through the launcher; returns the failures it reported. */
    private static List<Throwable> run(Class<?> kit, String check) {
        java.lang.reflect.Method method = Stream.<Class<?>>iterate(kit, c -> c != null, c -> c.getSuperclass())
                .flatMap(c -> Stream.of(c.getDeclaredMethods()))
                .filter(m -> m.getName().equals(check)).findFirst()
                .orElseThrow(() -> new AssertionError("no check " + check + " in " + kit));
        LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
                .selectors(DiscoverySelectors.selectMethod(kit, method))
                .build();
        List<Throwable> failures = new ArrayList<>();
        Launcher launcher = LauncherFactory.create();
        launcher.execute(request, new TestExecutionListener() {
            @Override
            public void executionFinished(TestIdentifier id, TestExecutionResult result) {
                if (id.isTest() && result.getStatus() == TestExecutionResult.Status.FAILED) {
                    result.getThrowable().ifPresent(failures::add);
                }
            }
        });
        return failures;
    }
}
