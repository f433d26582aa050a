package dev.coro.tck.poll;

import dev.coro.spi.Poller;
import dev.coro.tck.Rule;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The kit's closed-channel check has teeth: run directly against pollers that miss a close behind
 * their back, it fails naming the rule. (KitHasTeethTest covers the other poller rules; this check
 * is newer than its table.)
 */
class ClosedRuleHasTeethTest {

    private static PollerVerification kitOn(PollerFactory broken) {
        return new PollerVerification() {
            @Override
            protected Poller openPoller() throws IOException {
                return broken.open();
            }

            @Override
            protected Duration readinessBound() {
                return Duration.ofSeconds(2); // these pollers do hang
            }
        };
    }

    @FunctionalInterface
    private interface PollerFactory {
        Poller open() throws IOException;
    }

    private static void assertCaught(PollerFactory broken) {
        Throwable t = assertThrows(Throwable.class,
                () -> kitOn(broken).pollNoneLost_aChannelClosedBehindThePollersBackIsReportedClosed());
        assertTrue(String.valueOf(t.getMessage()).contains(Rule.POLLER_NONE_LOST.broke()),
                "the kit did not name " + Rule.POLLER_NONE_LOST + ": " + t);
    }

    @Test
    void pollNoneLost_aPollerThatNeverReportsClosedIsCaught() {
        assertCaught(BrokenPollers.MissesClose::new);
    }

    @Test
    void pollNoneLost_aPollerThatTrustsAnOwnersCloseTooFarIsCaught() {
        assertCaught(BrokenPollers.SkipsCloseAfterAnOwnersClose::new);
    }
}
