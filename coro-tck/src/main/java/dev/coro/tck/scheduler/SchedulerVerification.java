package dev.coro.tck.scheduler;

import dev.coro.Scheduler;
import dev.coro.tck.KitRunSettings;
import dev.coro.tck.Rule;
import dev.coro.tck.RuleBrokenError;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AddLifecycleHook;

import java.time.Duration;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

import static dev.coro.tck.scheduler.Programs.Kind.INTERRUPT;
import static dev.coro.tck.scheduler.Programs.Kind.JOIN;
import static dev.coro.tck.scheduler.Programs.Kind.SLEEP;
import static dev.coro.tck.scheduler.Programs.Kind.SLEEP_UNTIL;
import static dev.coro.tck.scheduler.Programs.Kind.THROW;
import static dev.coro.tck.scheduler.Programs.Kind.TIMEOUT;
import static dev.coro.tck.scheduler.Programs.Kind.YIELD;

/**
 * Model-based properties of SPEC.md §3: random programs run on the real scheduler (virtual time)
 * must give exactly the trace of {@link ReferenceModel}. A backend's test class extends this and
 * returns its builder from {@link #schedulerBuilder()}. Invariant: a property fails only with a
 * {@link RuleBrokenError} naming the rule, the shrunk program and both traces.
 *
 * <p>Rules checked ({@link dev.coro.tck.Rule}): {@code rule1} (SPEC.md#rule-1), {@code rule2} (SPEC.md#rule-2), {@code rule3} (SPEC.md#rule-3), {@code rule4} (SPEC.md#rule-4), {@code rule5} (SPEC.md#rule-5), {@code rule6} (SPEC.md#rule-6), {@code rule7} (SPEC.md#rule-7), {@code rule8} (SPEC.md#rule-8), {@code rule10} (SPEC.md#rule-10), {@code section3} (SPEC.md#scheduling).
 */
public abstract class SchedulerVerification implements SchedulerRules {

    /** A fresh builder for the backend under test, e.g. {@code Scheduler.builder().switcher("native")}. */
    protected abstract Scheduler.Builder schedulerBuilder();

    /** How long one program may run before it counts as hung. A bound on a hang, not a timing assertion. */
    protected Duration hangBound() {
        return Duration.ofSeconds(60);
    }

    /** Runs {@code program} for real and against the model; a difference fails naming {@code rule} or a more precise one. */
    protected void check(String property, Rule rule, Program program) {
        Trace expected = ReferenceModel.expected(program);
        Trace observed = runBounded(property, rule, program);
        try {
            TraceComparison.check(property, program, expected, observed);
        } catch (RuleBrokenError e) {
            if (rule == null || e.rule() == rule) {
                throw e;
            }
            // The first difference points at another rule than the property's own: name both.
            throw new RuleBrokenError(e.rule(), "(while checking " + rule.text() + ") "
                    + e.getMessage().substring(e.rule().broke().length() + 2));
        }
    }

    /** Runs the program on a thread of its own, so that a backend that hangs fails the check instead of the build. */
    private Trace runBounded(String property, Rule rule, Program program) {
        CompletableFuture<Trace> result = new CompletableFuture<>();
        Thread runner = Thread.ofPlatform().daemon().name("coro-tck-program").start(() -> {
            try {
                result.complete(ProgramRun.run(program, schedulerBuilder()));
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        });
        try {
            return result.get(hangBound().toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw new RuleBrokenError(rule == null ? Rule.RULE_2 : rule, "the program did not finish within "
                    + hangBound() + " (a hang; the scheduler thread is stuck in:\n    "
                    + Arrays.stream(runner.getStackTrace()).limit(12).map(String::valueOf)
                    .collect(Collectors.joining("\n    ")) + ")\n  (property " + property + ")\n  " + program);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + program, e);
        }
    }

    @Override
    @Property(tries = 150)
    @AddLifecycleHook(KitRunSettings.class)
    public void rule1_spawnedCorosStartInSpawnOrderAfterTheSpawnerWaits(@ForAll("spawnsYieldsJoins") Program program) {
        check("rule1_spawnedCorosStartInSpawnOrderAfterTheSpawnerWaits", Rule.RULE_1, program);
    }

    @Override
    @Property(tries = 150)
    @AddLifecycleHook(KitRunSettings.class)
    public void rule2_passesRunCorosInScheduleOrder(@ForAll("spawnsYieldsJoinsSleeps") Program program) {
        check("rule2_passesRunCorosInScheduleOrder", Rule.RULE_2, program);
    }

    @Override
    @Property(tries = 150)
    @AddLifecycleHook(KitRunSettings.class)
    public void rule3_yieldSliceComesBackOnlyAfterTheTimerPhase(@ForAll("spawnsYieldsJoins") Program program) {
        check("rule3_yieldSliceComesBackOnlyAfterTheTimerPhase", Rule.RULE_3, program);
    }

    @Override
    @Property(tries = 150)
    @AddLifecycleHook(KitRunSettings.class)
    public void rule4_sleepersWakeAtTheirDeadlineAndTiesInCallOrder(@ForAll("sleeps") Program program) {
        check("rule4_sleepersWakeAtTheirDeadlineAndTiesInCallOrder", Rule.RULE_4, program);
    }

    @Override
    @Property(tries = 200)
    @AddLifecycleHook(KitRunSettings.class)
    public void rule5_timeoutsNestedToDepthThreeMatchTheModel(@ForAll("timeouts") Program program) {
        check("rule5_timeoutsNestedToDepthThreeMatchTheModel", Rule.RULE_5, program);
    }

    @Override
    @Property(tries = 200)
    @AddLifecycleHook(KitRunSettings.class)
    public void rule6_interruptsRaiseAtTheSuspensionPointAndLeaveWaitQueues(@ForAll("interrupts") Program program) {
        check("rule6_interruptsRaiseAtTheSuspensionPointAndLeaveWaitQueues", Rule.RULE_6, program);
    }

    @Override
    @Property(tries = 150)
    @AddLifecycleHook(KitRunSettings.class)
    public void rule7_failuresReachHandlerAndJoinersOnly(@ForAll("failures") Program program) {
        check("rule7_failuresReachHandlerAndJoinersOnly", Rule.RULE_7, program);
    }

    @Override
    @Property(tries = 150)
    @AddLifecycleHook(KitRunSettings.class)
    public void rule8_runEndsWithMainAndShutsDownTheRest(@ForAll("mainEndsEarly") Program program) {
        check("rule8_runEndsWithMainAndShutsDownTheRest", Rule.RULE_8, program);
    }

    @Override
    @Property(tries = 150)
    @AddLifecycleHook(KitRunSettings.class)
    public void rule10_virtualClockJumpsOnlyWhenIdle(@ForAll("sleeps") Program program) {
        check("rule10_virtualClockJumpsOnlyWhenIdle", Rule.RULE_10, program);
    }

    @Override
    @Property(tries = 300)
    @AddLifecycleHook(KitRunSettings.class)
    public void section3_everyOperationMixedMatchesTheReferenceModel(@ForAll("everything") Program program) {
        check("section3_everyOperationMixedMatchesTheReferenceModel", null, program);
    }

    @Override
    @Property(tries = 30)
    @AddLifecycleHook(KitRunSettings.class)
    public void section3_longRunningProgramsMatchTheReferenceModel(@ForAll("longRunning") Program program) {
        check("section3_longRunningProgramsMatchTheReferenceModel", null, program);
    }

    @Provide
    Arbitrary<Program> longRunning() {
        return Programs.longRunning(EnumSet.of(YIELD, SLEEP, JOIN, TIMEOUT, INTERRUPT), 3);
    }

    @Provide
    Arbitrary<Program> spawnsYieldsJoins() {
        return Programs.programs(EnumSet.of(YIELD, JOIN), 6, null);
    }

    @Provide
    Arbitrary<Program> spawnsYieldsJoinsSleeps() {
        return Programs.programs(EnumSet.of(YIELD, JOIN, SLEEP), 6, null);
    }

    @Provide
    Arbitrary<Program> sleeps() {
        return Programs.programs(EnumSet.of(YIELD, SLEEP, SLEEP_UNTIL), 6, true);
    }

    @Provide
    Arbitrary<Program> timeouts() {
        return Programs.programs(EnumSet.of(YIELD, SLEEP, TIMEOUT, JOIN), 4, null);
    }

    @Provide
    Arbitrary<Program> interrupts() {
        return Programs.programs(EnumSet.of(YIELD, SLEEP, INTERRUPT, JOIN, TIMEOUT), 5, null);
    }

    @Provide
    Arbitrary<Program> failures() {
        return Programs.programs(EnumSet.of(YIELD, SLEEP, THROW, JOIN), 5, null);
    }

    @Provide
    Arbitrary<Program> mainEndsEarly() {
        return Programs.programs(EnumSet.of(YIELD, SLEEP, JOIN, TIMEOUT), 5, false);
    }

    @Provide
    Arbitrary<Program> everything() {
        return Programs.programs(Programs.all(), 6, null);
    }
}
