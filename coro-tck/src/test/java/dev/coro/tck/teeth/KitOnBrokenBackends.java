package dev.coro.tck.teeth;

import dev.coro.Scheduler;
import dev.coro.spi.Poller;
import dev.coro.spi.SwitchProvider;
import dev.coro.tck.poll.BrokenPollers;
import dev.coro.tck.poll.PollerVerification;
import dev.coro.tck.scheduler.RunOrderVerification;
import dev.coro.tck.scheduler.SchedulerVerification;
import dev.coro.tck.switching.SwitchBackendVerification;

import java.io.IOException;
import java.time.Duration;

/**
 * The kit's verifications bound to deliberately broken backends. Not tests by themselves (no
 * {@code Test} suffix, so surefire skips them): {@link KitHasTeethTest} runs them through the JUnit
 * Platform launcher and expects each to fail, naming the rule its backend breaks.
 */
final class KitOnBrokenBackends {
    private KitOnBrokenBackends() {
    }

    public static class SwallowsFailureSwitch extends SwitchBackendVerification {
        @Override
        protected SwitchProvider switchProvider() {
            return new BrokenSwitchProviders.SwallowsFailure();
        }
    }

    public static class RunsAnotherCoroutineSwitch extends SwitchBackendVerification {
        @Override
        protected SwitchProvider switchProvider() {
            return new BrokenSwitchProviders.RunsAnotherCoroutine();
        }
    }

    public static class EmptyStackTraceSwitch extends SwitchBackendVerification {
        @Override
        protected SwitchProvider switchProvider() {
            return new BrokenSwitchProviders.EmptyStackTrace();
        }
    }

    public static class SkipsSuspendSwitch extends SwitchBackendVerification {
        @Override
        protected SwitchProvider switchProvider() {
            return new BrokenSwitchProviders.SkipsSuspend();
        }
    }

    /** The handoff backend never pins, but this class claims it should: the kit must see the missing CoroPinnedException. */
    public static class MissesThePinSwitch extends SwitchBackendVerification {
        @Override
        protected SwitchProvider switchProvider() {
            return new dev.coro.tck.example.HandoffSwitchProvider();
        }

        @Override
        protected boolean pinsInClassInitializer() {
            return true;
        }
    }

    public static class WakesSleepersEarlyScheduling extends SchedulerVerification {
        @Override
        protected Scheduler.Builder schedulerBuilder() {
            return Scheduler.builder().switcher("broken-wakes-sleepers-early");
        }
    }

    public static class RunsAnotherCoroutineScheduling extends SchedulerVerification {
        @Override
        protected Scheduler.Builder schedulerBuilder() {
            return Scheduler.builder().switcher("broken-wrong-coroutine");
        }
    }

    public static class SkipsSuspendRunOrder extends RunOrderVerification {
        @Override
        protected Scheduler.Builder schedulerBuilder() {
            return Scheduler.builder().switcher("broken-skips-suspend");
        }
    }

    /** Base of the broken-poller bindings: short bounds, since these pollers do hang. */
    abstract static class BrokenPoller extends PollerVerification {
        @Override
        protected Duration readinessBound() {
            return Duration.ofSeconds(2);
        }
    }

    public static class ReportsTwicePoller extends BrokenPoller {
        @Override
        protected Poller openPoller() throws IOException {
            return new BrokenPollers.ReportsTwice();
        }
    }

    public static class DropsReadinessPoller extends BrokenPoller {
        @Override
        protected Poller openPoller() throws IOException {
            return new BrokenPollers.DropsReadiness();
        }
    }

    public static class IgnoresCancelPoller extends BrokenPoller {
        @Override
        protected Poller openPoller() throws IOException {
            return new BrokenPollers.IgnoresCancel();
        }
    }

    public static class DeafToWakeupPoller extends BrokenPoller {
        @Override
        protected Poller openPoller() throws IOException {
            return new BrokenPollers.DeafToWakeup();
        }
    }

    public static class LeaksOnClosePoller extends BrokenPoller {
        @Override
        protected Poller openPoller() throws IOException {
            return new BrokenPollers.LeaksOnClose();
        }
    }
}
