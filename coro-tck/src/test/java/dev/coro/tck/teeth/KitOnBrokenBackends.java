package dev.coro.tck.teeth;

import dev.coro.Scheduler;
import dev.coro.spi.Poller;
import dev.coro.spi.SwitchProvider;
import dev.coro.tck.poll.PollerVerification;
import dev.coro.tck.scheduler.LatencyWarningVerification;
import dev.coro.tck.scheduler.RunLifecycleVerification;
import dev.coro.tck.scheduler.RunOrderVerification;
import dev.coro.tck.scheduler.ScaleVerification;
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

    /**
     * The switch kit bound to the broken provider {@link KitHasTeethTest} sets before it runs a check
     * (one check at a time): short bounds, since some of these backends do hang.
     */
    public static class BrokenSwitch extends SwitchBackendVerification {
        static volatile SwitchProvider provider;
        static volatile boolean pins;
        static volatile Duration hang = Duration.ofSeconds(10);

        static void bind(SwitchProvider p, boolean pinsInInitializers, Duration hangBound) {
            provider = p;
            pins = pinsInInitializers;
            hang = hangBound;
        }

        @Override
        protected SwitchProvider switchProvider() {
            return provider;
        }

        @Override
        protected boolean pinsInClassInitializer() {
            return pins;
        }

        @Override
        protected Duration hangBound() {
            return hang;
        }

        @Override
        protected Duration closeBound() {
            return Duration.ofSeconds(1);
        }
    }

    /**
     * The thread-per-coroutine backend never pins, but this class claims it should: the kit must see
     * the missing CoroPinnedException. (Not handoff: its coroutine would stay parked in the class
     * initializer, and a virtual thread parked there pins its carrier for good.)
     */
    public static class MissesThePinSwitch extends SwitchBackendVerification {
        @Override
        protected SwitchProvider switchProvider() {
            return new dev.coro.tck.example.ThreadPerCoroutineSwitchProvider();
        }

        @Override
        protected boolean pinsInClassInitializer() {
            return true;
        }

        @Override
        protected Duration hangBound() {
            return Duration.ofSeconds(10);
        }
    }

    /** The scheduler kits bound to the broken switch backend named {@link #switcher} (registered in the test resources). */
    static volatile String switcher;

    public static class BrokenScheduling extends SchedulerVerification {
        @Override
        protected Scheduler.Builder schedulerBuilder() {
            return Scheduler.builder().switcher(switcher);
        }

        @Override
        protected Duration hangBound() {
            return Duration.ofSeconds(20);
        }
    }

    public static class BrokenRunOrder extends RunOrderVerification {
        @Override
        protected Scheduler.Builder schedulerBuilder() {
            return Scheduler.builder().switcher(switcher);
        }
    }

    public static class BrokenRunLifecycle extends RunLifecycleVerification {
        @Override
        protected Scheduler.Builder schedulerBuilder() {
            return Scheduler.builder().switcher(switcher);
        }

        @Override
        protected Duration closeBound() {
            return Duration.ofSeconds(1);
        }
    }

    public static class BrokenLatencyWarning extends LatencyWarningVerification {
        @Override
        protected Scheduler.Builder schedulerBuilder() {
            return Scheduler.builder().switcher(switcher);
        }
    }

    public static class BrokenScale extends ScaleVerification {
        @Override
        protected Scheduler.Builder schedulerBuilder() {
            return Scheduler.builder().switcher(switcher);
        }
    }

    /** The poller kit bound to the broken poller {@link KitHasTeethTest} sets before it runs a check: short bounds. */
    public static class BrokenPoller extends PollerVerification {
        static volatile PollerFactory factory;

        @Override
        protected Poller openPoller() throws IOException {
            return factory.open();
        }

        @Override
        protected Duration readinessBound() {
            return Duration.ofSeconds(1); // waited out on every shrinking step of a lost readiness
        }

        @Override
        protected Duration hangBound() {
            return Duration.ofSeconds(20);
        }

        @Override
        protected Duration closeBound() {
            return Duration.ofSeconds(1);
        }
    }

    /** Opens a broken poller. */
    @FunctionalInterface
    interface PollerFactory {
        Poller open() throws IOException;
    }
}
