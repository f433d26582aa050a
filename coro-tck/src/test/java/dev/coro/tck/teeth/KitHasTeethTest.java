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

import dev.coro.spi.SwitchProvider;

import java.io.IOException;
import java.time.Duration;
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

    /** A broken variant: the kit class bound to it (after {@code bind}), the check to run, and the rule it must name. */
    record Variant(String what, Class<?> kit, String check, Rule rule, Runnable bind) {
        Variant(String what, Class<?> kit, String check, Rule rule) {
            this(what, kit, check, rule, () -> { });
        }

        @Override
        public String toString() {
            return what + " -> " + rule.prefix();
        }
    }

    private static final AtomicInteger TRIED = new AtomicInteger();
    private static final AtomicInteger CAUGHT = new AtomicInteger();

    private static final Class<?> SWITCH_KIT = KitOnBrokenBackends.BrokenSwitch.class;
    private static final String VALUES = "switch_valuesAndFailuresCrossTheSwitchInAnyResumeOrder";
    private static final String STATE = "switchState_attachmentAndStackTraceStayRightAcrossResumesInAnyOrder";
    private static final String CLOSE = "switchClose_closeReleasesEveryThreadAndFdAfterEveryFeatureWasUsed";
    private static final String ONE_PIN = "pinned_suspendInAClassInitializerIsReportedNotHung";

    /** The switch kit on {@code p}, a handoff-based (not pinning) backend. */
    private static Variant onSwitch(String what, SwitchProvider p, String check, Rule rule) {
        return new Variant(what, SWITCH_KIT, check, rule,
                () -> KitOnBrokenBackends.BrokenSwitch.bind(p, false, Duration.ofSeconds(10)));
    }

    /** The switch kit on {@code p}, a backend over {@link BrokenSwitchProviders.PinsInInitializers}. */
    private static Variant onPinningSwitch(String what, SwitchProvider p, String check, Rule rule, Duration hang) {
        return new Variant(what, SWITCH_KIT, check, rule, () -> KitOnBrokenBackends.BrokenSwitch.bind(p, true, hang));
    }

    /** A scheduler kit on the registered broken switch backend {@code name}. */
    private static Variant onScheduler(String what, String name, Class<?> kit, String check, Rule rule) {
        return new Variant(what, kit, check, rule, () -> KitOnBrokenBackends.switcher = name);
    }

    static Stream<Variant> variants() {
        return Stream.of(
                // SwitchBackend.create / resume / ResumeOutcome
                onSwitch("switch backend that swallows a body's failure", new BrokenSwitchProviders.SwallowsFailure(),
                        VALUES, Rule.SWITCH),
                onSwitch("switch backend that rethrows a body's failure wrapped", new BrokenSwitchProviders.WrapsFailure(),
                        VALUES, Rule.SWITCH),
                onSwitch("switch backend whose failed coroutines are never done", new BrokenSwitchProviders.NotDoneAfterFailure(),
                        VALUES, Rule.SWITCH),
                onSwitch("switch backend that runs another coroutine than asked", new BrokenSwitchProviders.RunsAnotherCoroutine(),
                        VALUES, Rule.SWITCH),
                onSwitch("switch backend whose create runs the body at once", new BrokenSwitchProviders.StartsAtCreate(),
                        VALUES, Rule.SWITCH),
                onSwitch("switch backend whose every 7th resume runs nothing", new BrokenSwitchProviders.ReturnsWithoutRunning(),
                        VALUES, Rule.SWITCH),
                onSwitch("switch backend that reports BLOCKED for a suspend", new BrokenSwitchProviders.ReportsBlockedForSuspended(),
                        VALUES, Rule.SWITCH),
                onSwitch("switch backend that runs a done coroutine again", new BrokenSwitchProviders.RerunsDoneCoroutine(),
                        VALUES, Rule.SWITCH),
                onSwitch("switch backend whose interruptBlocked ends a suspended coroutine",
                        new BrokenSwitchProviders.InterruptBlockedEndsSuspended(), VALUES, Rule.SWITCH),
                // SwitchBackend.suspend
                onSwitch("switch backend whose suspend sometimes does not switch", new BrokenSwitchProviders.SkipsSuspend(),
                        "switch_deepStacksSurviveRoundTrips", Rule.SWITCH),
                onSwitch("switch backend whose every 100th suspend does not switch",
                        new BrokenSwitchProviders.SkipsEveryHundredthSuspend(), "switch_deepStacksSurviveRoundTrips", Rule.SWITCH),
                // Coroutine.attachment / stackTrace
                onSwitch("switch backend whose stack traces are empty", new BrokenSwitchProviders.EmptyStackTrace(),
                        "switchState_stackTraceOfASuspendedCoroutineShowsWhereItWaits", Rule.SWITCH_STATE),
                onSwitch("switch backend whose stack trace is the first suspension's", new BrokenSwitchProviders.StaleStackTrace(),
                        STATE, Rule.SWITCH_STATE),
                onSwitch("switch backend without live frames for a running coroutine", new BrokenSwitchProviders.NoLiveStackTrace(),
                        STATE, Rule.SWITCH_STATE),
                onSwitch("switch backend whose stack traces work on the scheduler thread only",
                        new BrokenSwitchProviders.StackTraceOnlyOnSchedulerThread(), STATE, Rule.SWITCH_STATE),
                onSwitch("switch backend that forgets attachments after 8 resumes", new BrokenSwitchProviders.ForgetsAttachment(),
                        STATE, Rule.SWITCH_STATE),
                onSwitch("switch backend that names unnamed coroutines itself", new BrokenSwitchProviders.IgnoresHostName(),
                        "switchState_anUnnamedCoroutineIsNamedByItsHost", Rule.SWITCH_STATE),
                // pins
                new Variant("switch backend that switches where it should report a pin", KitOnBrokenBackends.MissesThePinSwitch.class,
                        ONE_PIN, Rule.SWITCH_PINNED),
                onPinningSwitch("switch backend that reports only its first pin", new BrokenSwitchProviders.PinsOnlyOnce(),
                        "pinned_everySuspendWhilePinnedThrowsInEveryCoroutine", Rule.SWITCH_PINNED, Duration.ofSeconds(10)),
                onPinningSwitch("switch backend that switches, then reports the pin", new BrokenSwitchProviders.PinsAfterSwitching(),
                        ONE_PIN, Rule.SWITCH_PINNED, Duration.ofSeconds(10)),
                onPinningSwitch("switch backend that hangs when pinned", new BrokenSwitchProviders.HangsWhenPinned(),
                        ONE_PIN, Rule.SWITCH_PINNED, Duration.ofSeconds(2)),
                // SwitchProvider, one instance per run
                onSwitch("switch provider that opens one shared backend", new BrokenSwitchProviders.SharesOneBackend(),
                        "switch_backendsOpenAtOnceAreIndependent", Rule.SWITCH),
                onSwitch("switch backend whose close ends every backend", new BrokenSwitchProviders.CloseEndsEveryBackend(),
                        "switch_backendsOpenAtOnceAreIndependent", Rule.SWITCH),
                onSwitch("switch backend named otherwise than its provider", new BrokenSwitchProviders.NamedOtherwise(),
                        "switch_providerAndBackendDescribeThemselves", Rule.SWITCH),
                onSwitch("switch backend that describes itself in several lines", new BrokenSwitchProviders.DescribesInSeveralLines(),
                        "switch_providerAndBackendDescribeThemselves", Rule.SWITCH),
                onSwitch("switch provider whose unavailableReason starts a thread",
                        new BrokenSwitchProviders.UnavailableReasonStartsAThread(), CLOSE, Rule.SWITCH_CLOSE),
                // SwitchBackend.close
                onSwitch("switch backend that leaks a thread (same name every time)", new BrokenSwitchProviders.LeaksAThreadOnClose(),
                        CLOSE, Rule.SWITCH_CLOSE),
                onSwitch("switch backend whose second close throws", new BrokenSwitchProviders.CloseNotIdempotent(),
                        CLOSE, Rule.SWITCH_CLOSE),
                new Variant("switch backend whose close waits for suspended coroutines", SWITCH_KIT, CLOSE, Rule.SWITCH_CLOSE,
                        () -> KitOnBrokenBackends.BrokenSwitch.bind(new BrokenSwitchProviders.CloseWaitsForSuspended(), false,
                                Duration.ofSeconds(3))),
                // SwitchProvider.maxLiveCoroutines
                onSwitch("switch backend exhausted below the limit it declares", new BrokenSwitchProviders.ExhaustedBelowItsLimit(),
                        "switch_hundredThousandCoroutinesSuspendedAtOnce", Rule.SWITCH),
                // the scheduler's rules over broken switch backends
                onScheduler("scheduler over a backend whose create runs the body (spawn does not return first)",
                        "broken-starts-at-create", KitOnBrokenBackends.BrokenScheduling.class,
                        "rule1_spawnedCorosStartInSpawnOrderAfterTheSpawnerWaits", Rule.RULE_1),
                onScheduler("scheduler over a backend that runs another coroutine (pass order broken)", "broken-wrong-coroutine",
                        KitOnBrokenBackends.BrokenScheduling.class, "rule2_passesRunCorosInScheduleOrder", Rule.RULE_2),
                onScheduler("scheduler whose yieldSlice does not wait for the timer phase", "broken-skips-suspend",
                        KitOnBrokenBackends.BrokenRunOrder.class, "rule3_yieldSliceRunsAgainOnlyAfterTheTimerAndIoPhase", Rule.RULE_3),
                onScheduler("scheduler over a backend whose suspend in a sleep does not switch (sleepers wake early)",
                        "broken-wakes-sleepers-early", KitOnBrokenBackends.BrokenScheduling.class,
                        "rule4_sleepersWakeAtTheirDeadlineAndTiesInCallOrder", Rule.RULE_4),
                onScheduler("scheduler over a backend whose every 100th sleep does not switch",
                        "broken-wakes-every-100th-sleeper-early", KitOnBrokenBackends.BrokenScheduling.class,
                        "section3_longRunningProgramsMatchTheReferenceModel", Rule.RULE_4),
                onScheduler("scheduler over a backend that leaks a thread", "broken-leaks-a-thread",
                        KitOnBrokenBackends.BrokenRunLifecycle.class, "rule8_noThreadOrFdIsLeftAfterARun", Rule.RULE_8),
                onScheduler("scheduler over a backend without stack traces (latency report)", "broken-empty-stack",
                        KitOnBrokenBackends.BrokenLatencyWarning.class,
                        "rule9_aCoroThatHogsTheSchedulerIsReportedWithNameAndStack", Rule.RULE_9),
                onScheduler("scheduler over a backend without stack traces (dump)", "broken-empty-stack",
                        KitOnBrokenBackends.BrokenRunLifecycle.class, "observability_statsAndDumpDescribeTheRun",
                        Rule.OBSERVABILITY),
                onScheduler("scheduler over a backend exhausted below its declared limit", "broken-exhausted-below-its-limit",
                        KitOnBrokenBackends.BrokenScale.class, "switch_hundredThousandCorosSpawnedSuspendedTogetherAndJoined",
                        Rule.SWITCH),
                // Poller: once per registration, how many it handed
                onPoller("poller that reports a readiness twice", BrokenPollers.ReportsTwice::new, ONCE, Rule.POLLER_ONCE),
                onPoller("poller whose poll returns another count than it handed", BrokenPollers.MiscountsWhatItHanded::new,
                        ONCE, Rule.POLLER_ONCE),
                // none lost
                onPoller("poller that drops readiness", BrokenPollers.DropsReadiness::new, RANDOM, Rule.POLLER_NONE_LOST),
                onPoller("poller whose cancel does nothing", BrokenPollers.IgnoresCancel::new, RANDOM, Rule.POLLER_NONE_LOST),
                onPoller("poller whose cancelled registrations still fire", BrokenPollers.CancelledOnesStillFire::new, RANDOM,
                        Rule.POLLER_NONE_LOST),
                onPoller("poller that goes wrong after 200 polls", BrokenPollers.BreaksAfterManyCycles::new,
                        "pollNoneLost_longScriptsOnOnePollerLoseNoReadiness", Rule.POLLER_NONE_LOST),
                onPoller("poller that drops what overflows its 256-event buffer", BrokenPollers.DropsWhatOverflowsItsBuffer::new,
                        "pollNoneLost_hundredsOfChannelsReadyAtOnceAreAllReported", Rule.POLLER_NONE_LOST),
                onPoller("poller that keeps one registration per channel (READ and WRITE clash)",
                        BrokenPollers.OneRegistrationPerChannel::new, RANDOM, Rule.POLLER_NONE_LOST),
                onPoller("poller that reports the wrong ops", BrokenPollers.ReportsTheWrongOps::new, RANDOM, Rule.POLLER_NONE_LOST),
                onPoller("poller that never reports CLOSED", BrokenPollers.MissesClose::new, CLOSED, Rule.POLLER_NONE_LOST),
                onPoller("poller that trusts closedByOwner too far", BrokenPollers.SkipsCloseAfterAnOwnersClose::new, CLOSED,
                        Rule.POLLER_NONE_LOST),
                onPoller("poller whose closedByOwner of an open channel drops its registrations",
                        BrokenPollers.ClosedByOwnerOfAnOpenChannelDropsIt::new, RANDOM, Rule.POLLER_NONE_LOST),
                // registrations()
                onPoller("poller whose cancel of a reported registration cancels the next one",
                        BrokenPollers.CancelOfAReportedOneCancelsTheNext::new, RANDOM, Rule.POLLER_NONE_LOST),
                onPoller("poller that counts reported registrations as live", BrokenPollers.CountsReportedOnesAsLive::new,
                        RANDOM, Rule.POLLER_COUNT),
                // timeouts
                onPoller("poller that returns before its timeout", BrokenPollers.ReturnsBeforeItsTimeout::new, TIMED,
                        Rule.POLLER_TIMEOUT),
                onPoller("poller that overshoots its timeout by 1.5 s", BrokenPollers.OvershootsItsTimeout::new, TIMED,
                        Rule.POLLER_TIMEOUT),
                onPoller("poller whose poll(0) waits", BrokenPollers.ZeroTimeoutWaits::new, TIMED, Rule.POLLER_TIMEOUT),
                onPoller("poller whose poll(-1) does not wait (an idle loop spins)", BrokenPollers.NegativeTimeoutDoesNotWait::new,
                        "pollTimeout_aPollWithoutTimeoutWaitsForReadinessOrAWakeup", Rule.POLLER_TIMEOUT),
                // wakeup
                onPoller("poller deaf to wakeup()", BrokenPollers.DeafToWakeup::new,
                        "pollWakeup_wakeupFromAnotherThreadReturnsABlockedPoll", Rule.POLLER_WAKEUP),
                onPoller("poller whose wakeup() before a poll is lost", BrokenPollers.WakesOnlyAPollInProgress::new, WAKE_BEFORE,
                        Rule.POLLER_WAKEUP),
                onPoller("poller whose wake-up is never used up", BrokenPollers.WakeupNeverUsedUp::new, WAKE_BEFORE,
                        Rule.POLLER_WAKEUP),
                // close
                onPoller("poller that leaves its selector open on close", BrokenPollers.LeaksOnClose::new, CLOSE_LEFT,
                        Rule.POLLER_CLOSE),
                onPoller("poller whose second close throws", BrokenPollers.CloseNotIdempotent::new, CLOSE_LEFT, Rule.POLLER_CLOSE),
                onPoller("poller whose close keeps its registrations", BrokenPollers.CloseKeepsItsRegistrations::new, CLOSE_LEFT,
                        Rule.POLLER_CLOSE),
                onPoller("poller that leaks the pipe its first wakeup() opened", BrokenPollers.LeaksItsWakeupPipe::new,
                        CLOSE_ALL, Rule.POLLER_CLOSE),
                onPoller("poller that leaks a thread its first poll(-1) started", BrokenPollers.LeaksAThread::new, CLOSE_ALL,
                        Rule.POLLER_CLOSE));
    }

    private static final Class<?> POLLER_KIT = KitOnBrokenBackends.BrokenPoller.class;
    private static final String ONCE = "pollOnce_readinessFiresOncePerRegistration";
    private static final String RANDOM = "pollNoneLost_randomInterleavingsLoseNoReadiness";
    private static final String CLOSED = "pollNoneLost_aChannelClosedBehindThePollersBackIsReportedClosed";
    private static final String TIMED = "pollTimeout_aTimedPollWithNothingReadyWaitsItsTimeout";
    private static final String WAKE_BEFORE = "pollWakeup_aWakeupBeforeThePollReturnsThatPollPromptlyAndOnlyThatOne";
    private static final String CLOSE_LEFT = "pollClose_closeCancelsWhatIsLeftAndLeavesNoFd";
    private static final String CLOSE_ALL = "pollClose_closeAfterEveryFeatureWasUsedLeavesNoFdOrThread";

    /** The poller kit on a broken poller. */
    private static Variant onPoller(String what, KitOnBrokenBackends.PollerFactory p, String check, Rule rule) {
        return new Variant(what, POLLER_KIT, check, rule, () -> KitOnBrokenBackends.BrokenPoller.factory = p);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("variants")
    void theKitFailsTheBrokenVariantNamingItsRule(Variant v) {
        TRIED.incrementAndGet();
        v.bind().run();
        List<Throwable> failures = run(v.kit(), v.check());
        assertTrue(!failures.isEmpty(), "the kit passed " + v.what() + ": " + v.kit().getSimpleName() + "." + v.check());
        String message = String.valueOf(failures.getFirst().getMessage());
        // startsWith, not contains: a failure names the rule that broke first (a mention further on,
        // e.g. "while checking rule 4", does not count).
        assertTrue(message.startsWith(v.rule().broke()), "the kit failed " + v.what() + " but did not name "
                + v.rule().text() + " first; it said:\n" + message);
        assertTrue(message.indexOf(" broke [") == message.lastIndexOf(" broke ["), "the failure names a rule more "
                + "than once:\n" + message);
        CAUGHT.incrementAndGet();
    }

    @AfterAll
    static void report() throws Exception {
        System.out.println("coro-tck teeth: broken variants caught " + CAUGHT.get() + " / tried " + TRIED.get());
        BrokenSwitchProviders.release();
        BrokenPollers.releaseLeaks();
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
        List<String> aborted = new ArrayList<>();
        int[] ran = {0};
        Launcher launcher = LauncherFactory.create();
        launcher.execute(request, new TestExecutionListener() {
            @Override
            public void executionFinished(TestIdentifier id, TestExecutionResult result) {
                if (id.isTest()) {
                    ran[0]++;
                }
                if (id.isTest() && result.getStatus() == TestExecutionResult.Status.FAILED) {
                    result.getThrowable().ifPresent(failures::add);
                } else if (result.getStatus() != TestExecutionResult.Status.SUCCESSFUL) {
                    // An aborted check proves nothing: it is not counted as a pass.
                    aborted.add(id.getDisplayName() + " ended " + result.getStatus() + ": "
                            + result.getThrowable().map(String::valueOf).orElse("?"));
                }
            }
        });
        if (!aborted.isEmpty() || ran[0] == 0) {
            throw new AssertionError("the check did not run to a verdict: " + (ran[0] == 0 ? "no test ran" : aborted));
        }
        return failures;
    }
}
