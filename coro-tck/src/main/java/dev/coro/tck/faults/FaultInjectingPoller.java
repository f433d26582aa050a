package dev.coro.tck.faults;

import dev.coro.net.ChannelIo;
import dev.coro.spi.OsEvent;
import dev.coro.spi.Poller;
import dev.coro.spi.ReusableInterest;

import java.io.IOException;
import java.nio.channels.SelectableChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Poller {@code faults} of one scheduler run: the plan's poller, with interrupted polls and spurious
 * readiness, and the chooser of every socket's {@link FaultyChannelIo}.
 *
 * <p>Invariants: every channel registration (one-shot or of an {@link Poller.Interest}) is armed in
 * the inner poller with a {@link Watch} as its attachment, and is in {@link #live} from its arming
 * until it is reported, cancelled, or reported here spuriously; a spurious report cancels it in the
 * inner poller first, so each registration is still reported at most once. OS-event registrations
 * pass through untouched (a spurious signal would be a lie the waiter cannot detect). All methods but
 * {@link #wakeup()} run on the scheduler thread.
 */
final class FaultInjectingPoller implements Poller, ChannelIo.Source, Poller.ReadySink {
    private final FaultInjector injector;
    private final FaultPlan plan;
    private final Poller inner;
    private final int run;
    private final SplittableRandom random;
    /** Armed channel registrations not yet reported: the candidates for spurious readiness. */
    private final List<Watch> live = new ArrayList<>();
    private int socketsMade;
    /** The sink of the poll in progress and how many readinesses it was handed. */
    private ReadySink sink;
    private int handed;

    FaultInjectingPoller(FaultInjector injector, Poller inner) {
        this.injector = injector;
        this.plan = injector.plan();
        this.inner = inner;
        this.run = injector.nextRun();
        this.random = new SplittableRandom(streamSeed(plan.seed(), run, -1));
    }

    /** The seed of one random stream: this run's poller ({@code socket} -1) or its socket number {@code socket}. */
    static long streamSeed(long seed, int run, int socket) {
        return seed ^ (run + 1) * 0x9E3779B97F4A7C15L ^ (socket + 2L) * 0xC2B2AE3D27D4EB4FL;
    }

    @Override
    public ChannelIo channelIo(SelectableChannel channel) {
        int n = socketsMade++;
        return new FaultyChannelIo(injector, channel, new SplittableRandom(streamSeed(plan.seed(), run, n)),
                "socket #" + n + " of run " + run + " (" + channel.getClass().getSimpleName() + ")");
    }

    @Override
    public String name() {
        return FaultInjector.POLLER;
    }

    @Override
    public Registration register(SelectableChannel channel, int ops, Object attachment) throws IOException {
        Watch w = new Watch(attachment, ops);
        w.registration = inner.register(channel, ops, w);
        arm(w);
        return () -> {
            disarm(w);
            w.registration.cancel();
        };
    }

    @Override
    public Interest interest(SelectableChannel channel) {
        return new FaultInterest(channel, inner.interest(channel));
    }

    @Override
    public boolean waitsNatively(Class<? extends OsEvent> kind) {
        return inner.waitsNatively(kind);
    }

    @Override
    public Registration register(OsEvent event, Object attachment) throws IOException {
        return inner.register(event, attachment);
    }

    @Override
    public int poll(long timeoutNanos, ReadySink sink) throws IOException {
        if (chance(plan.interruptedPolls())) {
            injector.injected(Fault.INTERRUPTED_POLL);
            return 0; // as a poll that EINTR ended before it found anything
        }
        boolean spurious = !live.isEmpty() && chance(plan.spuriousReadiness());
        this.sink = sink;
        this.handed = 0;
        try {
            inner.poll(spurious ? 0 : timeoutNanos, this);
            if (spurious && !live.isEmpty()) {
                Watch w = live.get(random.nextInt(live.size()));
                disarm(w);
                w.cancelInner();
                injector.injected(Fault.SPURIOUS_READINESS);
                handed++;
                sink.ready(w.attachment, w.ops);
            }
            return handed;
        } finally {
            this.sink = null;
        }
    }

    // ---------------------------------------------------------------- the inner poller's reports

    @Override
    public void ready(Object attachment, int readyOps) {
        handed++;
        if (attachment instanceof Watch w) {
            disarm(w);
            sink.ready(w.attachment, readyOps);
        } else {
            sink.ready(attachment, readyOps);
        }
    }

    @Override
    public void fired(Object attachment, long data) {
        handed++;
        sink.fired(attachment, data);
    }

    @Override
    public void failed(Object attachment, IOException error) {
        handed++;
        if (attachment instanceof Watch w) {
            disarm(w);
            sink.failed(w.attachment, error);
        } else {
            sink.failed(attachment, error);
        }
    }

    @Override
    public void wakeup() {
        inner.wakeup();
    }

    @Override
    public void closedByOwner(SelectableChannel channel) {
        inner.closedByOwner(channel);
    }

    @Override
    public int registrations() {
        return inner.registrations();
    }

    @Override
    public void close() {
        live.clear();
        inner.close();
    }

    @Override
    public String toString() {
        return "poller faults over " + inner.name() + " (run " + run + ", seed " + plan.seed() + ")";
    }

    private boolean chance(double p) {
        return p > 0 && injector.active() && random.nextDouble() < p;
    }

    private void arm(Watch w) {
        w.index = live.size();
        live.add(w);
    }

    /** Takes {@code w} out of {@link #live} (swapping the last one into its place); idempotent. */
    private void disarm(Watch w) {
        int i = w.index;
        if (i < 0) {
            return;
        }
        Watch last = live.removeLast();
        if (last != w) {
            live.set(i, last);
            last.index = i;
        }
        w.index = -1;
    }

    /** One arming of a channel registration: the waiter's attachment and ops, and the inner registration. */
    private static final class Watch {
        Object attachment;
        int ops;
        int index = -1;
        Registration registration;
        Interest interest;

        Watch(Object attachment, int ops) {
            this.attachment = attachment;
            this.ops = ops;
        }

        void cancelInner() {
            if (interest != null) {
                interest.cancel();
            } else {
                registration.cancel();
            }
        }
    }

    /** A reusable interest over the inner poller's, armed with one reused {@link Watch}. */
    private final class FaultInterest extends ReusableInterest {
        private final Watch watch = new Watch(null, 0);

        FaultInterest(SelectableChannel channel, Interest inner) {
            super(channel);
            watch.interest = inner;
        }

        @Override
        protected void arm(int ops, Object attachment) throws IOException {
            watch.attachment = attachment;
            watch.ops = ops;
            watch.interest.register(ops, watch);
            FaultInjectingPoller.this.arm(watch);
        }

        @Override
        protected void disarm() {
            FaultInjectingPoller.this.disarm(watch);
            watch.interest.cancel();
        }
    }
}
