package dev.coro.scheduler;

import dev.coro.Coro;
import dev.coro.spi.OsEvent;

import java.io.IOException;

/** What {@code dev.coro.os} needs from the scheduler: the run's poller, for the OS events it waits for itself. Not a user API. */
public final class OsSupport {
    private OsSupport() {
    }

    /** Whether the poller of the run {@code self} is on waits for {@code kind} natively. */
    public static boolean waitsNatively(Coro<?> self, Class<? extends OsEvent> kind) {
        return CoroContext.impl(self).loop.poller.waitsNatively(kind);
    }

    /** Suspends {@code self} until its run's poller reports {@code event}; returns the event's data. */
    public static long awaitEvent(Coro<?> self, OsEvent event) throws IOException {
        CoroImpl<?> c = CoroContext.impl(self);
        return c.loop.pollerWaits.awaitEvent(c, event);
    }
}
