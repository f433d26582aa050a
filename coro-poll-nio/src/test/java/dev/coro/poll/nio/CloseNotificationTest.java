package dev.coro.poll.nio;

import dev.coro.Coro;
import dev.coro.Scheduler;
import dev.coro.net.CoroServerSocket;
import dev.coro.net.CoroSocket;
import dev.coro.tck.net.CloseNotificationVerification;
import org.junit.jupiter.api.Test;

import java.util.concurrent.Callable;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The kit's {@link CloseNotificationVerification} over {@code nio}; and, nio-specific, what nio
 * pays for a close: a socket's own close wakes its waiters itself, so the poller must not search
 * its other waiters for it (read from its counter through {@link CountedNioPollerProvider}).
 */
class CloseNotificationTest extends CloseNotificationVerification {
    private static final int WAITERS = 20;

    @Override
    protected String pollerName() {
        return "nio";
    }

    private <T> T runCounted(Callable<T> main) {
        try (Scheduler s = Scheduler.builder().switcher(switcher).poller(CountedNioPollerProvider.NAME)
                .name("test-counted-" + switcher).build()) {
            return s.run(main);
        }
    }

    @Test
    void net_aSocketClosedByItsOwnCoroCostsNoSearchAmongTheOtherWaiters() {
        long swept = runCounted(() -> {
            try (CoroServerSocket server = CoroServerSocket.bind(LOOPBACK_ANY_PORT);
                 Waiters others = new Waiters(server, WAITERS)) {
                CoroSocket[] conn = waitedOnce(server);
                NioPoller poller = CountedNioPollerProvider.current();
                long before = poller.sweptChannels();
                conn[0].close(); // by its own coro: the poller must not search the waiters for it
                Coro.yieldSlice(); // a poll runs: its select deregisters the closed channel's key
                long visited = poller.sweptChannels() - before;
                conn[1].close();
                return visited;
            }
        });
        assertEquals(0, swept, "channels the poller visited after one socket's own close, with " + WAITERS
                + " others waiting");
    }
}
