package dev.coro.scheduler;

import dev.coro.spi.OsEvent;
import dev.coro.spi.Poller;

import java.io.IOException;

/**
 * Coros waiting on the run's poller: for a channel's readiness (through its reusable
 * {@link Poller.Interest}) or for an OS event, and the {@link Poller.ReadySink} that wakes them.
 *
 * <p>Invariants: a coro is registered with the poller only while suspended in {@link #awaitReady}
 * or {@link #awaitEvent}, under its own {@link IoWait}; however the wait ends (readiness, timeout,
 * interrupt, shutdown, close) the registration is cancelled before the coro goes on, so a poller
 * never holds a registration of a coro that is not waiting. What the poller reports becomes the
 * suspension's value: the ready ops ({@code Integer}), an OS event's data ({@code Long}) or the
 * registration's error ({@code IOException}), turned back here. Scheduler thread only.
 */
final class PollerWaits implements Poller.ReadySink {
    private final EventLoop loop;

    PollerWaits(EventLoop loop) {
        this.loop = loop;
    }

    /** Suspends {@code me} until {@code interest} (of this run's poller) reports; returns the ready ops. */
    int awaitReady(CoroImpl<?> me, Poller.Interest interest, int ops, WaitSubject subject) throws IOException {
        IoWait w = IoWait.forPoller(me);
        w.subject = subject;
        w.ops = ops;
        interest.register(ops, w);
        Object v;
        try {
            v = loop.states.suspend(me, w);
        } finally {
            w.active = false;
            interest.cancel();
        }
        if (v instanceof IOException e) {
            throw e;
        }
        return v instanceof Integer i ? i : 0;
    }

    /** Suspends {@code me} until the poller reports {@code event}; returns its data (see {@link OsEvent}). */
    long awaitEvent(CoroImpl<?> me, OsEvent event) throws IOException {
        IoWait w = IoWait.forPoller(me);
        w.subject = event;
        w.ops = 0;
        Poller.Registration r = loop.poller.register(event, w);
        Object v;
        try {
            do {
                v = loop.states.suspend(me, w);
            } while (w.active); // a plain wake (not the poller's) is not the event
        } finally {
            w.active = false;
            r.cancel();
        }
        if (v instanceof IOException e) {
            throw e;
        }
        return (Long) v;
    }

    @Override
    public void ready(Object attachment, int readyOps) {
        wake(attachment, readyOps);
    }

    @Override
    public void fired(Object attachment, long data) {
        wake(attachment, data);
    }

    @Override
    public void failed(Object attachment, IOException error) {
        wake(attachment, error);
    }

    private void wake(Object attachment, Object value) {
        if (attachment instanceof IoWait w && w.active) {
            w.active = false;
            CoroImpl<?> c = w.coro;
            if (!c.scheduled && c.state == CoroImpl.SUSPENDED) {
                loop.states.schedule(c, value);
            }
        }
    }
}
