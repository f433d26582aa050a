package dev.coro.poll.nio;

import dev.coro.spi.Poller;
import dev.coro.spi.PollerArguments;
import dev.coro.spi.ReusableInterest;

import java.io.IOException;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.IllegalBlockingModeException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The {@link Poller} SPI over one {@link Selector}, for one scheduler run.
 *
 * <p>Invariants (all state is touched on the scheduler thread only, except {@link #wakeup()}):
 * <ul>
 *   <li>a channel has at most one key here, made on its first registration and kept until the
 *       channel closes: cancelling per wait would cost a deregistration per wait, and a cancelled key
 *       cannot be registered again before the next select;</li>
 *   <li>a key's attachment is its {@link ChannelState}: the live registrations, oldest first; a
 *       channel may have a READ and a WRITE registration (by different waiters) at once;</li>
 *   <li>{@link #registrations} is the number of live registrations; a state is in the
 *       {@link #waitingHead} list exactly while it has one;</li>
 *   <li>interest ops cover every live registration's ops. Interest that no registration wants any
 *       more is dropped lazily, when it fires unwanted: the usual cycle wait-ready-read-wait on one
 *       socket then costs no {@code epoll_ctl} at all, and a stale interest costs at most one
 *       spurious wake-up;</li>
 *   <li>closed channels: a closed channel's key is cancelled and then deregistered by the next
 *       select, which is how a poll learns of a close. {@link #expectedDrops} counts the cancelled,
 *       not yet deregistered keys of channels announced by {@link #closedByOwner} (each at most once);
 *       a poll whose selects deregistered more keys than that searches the waiting list for the
 *       invalid keys and reports {@link #CLOSED}. So an owner's close costs O(1), and only a close
 *       behind our back costs O(waiting channels);</li>
 *   <li>a key may be cancelled by another thread at any moment (a channel closed there): every use
 *       of a key outside a select tolerates {@link CancelledKeyException}.</li>
 * </ul>
 * Readiness is handed out through {@link Selector#select(Consumer, long)}, which bypasses the
 * selected-key {@code HashSet} (see {@code NioPollerBenchmark} for why no Netty-style set swap).
 */
public final class NioPoller implements Poller {
    private final Selector selector;
    private final Consumer<SelectionKey> onKey = this::onKey;
    private int registrations;
    private ChannelState waitingHead;
    /** Keys made since the current poll began (the closed-channel sweep compares key counts). */
    private int keysAdded;
    /** Announced closes whose keys the next select deregisters (see the invariants). */
    private int expectedDrops;
    /** The sink of the poll in progress and how many readinesses it got. */
    private ReadySink sink;
    private int reported;
    private boolean closed;
    /** Channels the closed-channel sweep has visited, over this poller's life (a test hook: cost in a count). */
    private long sweptChannels;

    NioPoller() throws IOException {
        this.selector = Selector.open();
    }

    @Override
    public String name() {
        return NioPollerProvider.NAME;
    }

    @Override
    public Registration register(SelectableChannel channel, int ops, Object attachment) throws IOException {
        Reg r = new Reg(this);
        arm(r, channel, ops, attachment, null);
        return r;
    }

    @Override
    public Interest interest(SelectableChannel channel) {
        return new NioInterest(this, channel);
    }

    /**
     * Links {@code r} (not live) as a registration of {@code channel} for {@code ops}; returns the
     * channel's state, which a caller may pass back as {@code known} for its next arming of the same
     * channel, sparing the synchronized search of {@code keyFor} (a valid key is the channel's key
     * with this selector for as long as it stays valid).
     */
    private ChannelState arm(Reg r, SelectableChannel channel, int ops, Object attachment, ChannelState known)
            throws IOException {
        PollerArguments.check(channel, ops);
        if (closed) {
            throw new IllegalStateException("poller nio is closed");
        }
        if (!channel.isOpen()) {
            throw new ClosedChannelException();
        }
        int nioOps = toNio(ops, channel);
        if (nioOps == 0) {
            throw new IllegalArgumentException(channel + " supports no " + PollerArguments.opsName(ops) + " readiness");
        }
        SelectionKey key = known != null && known.key.isValid() ? known.key : channel.keyFor(selector);
        ChannelState st;
        if (key == null) {
            if (channel.isBlocking()) {
                throw new IllegalBlockingModeException();
            }
            st = new ChannelState();
            key = channel.register(selector, nioOps, st);
            st.key = key;
            keysAdded++;
        } else {
            st = (ChannelState) key.attachment();
            try {
                int interest = key.interestOps();
                if ((interest | nioOps) != interest) {
                    key.interestOps(interest | nioOps);
                }
            } catch (CancelledKeyException e) {
                // Closed (maybe by another thread just now), its deregistration not yet done.
                ClosedChannelException closedNow = new ClosedChannelException();
                closedNow.initCause(e);
                throw closedNow;
            }
        }
        r.state = st;
        r.ops = ops;
        r.attachment = attachment;
        if (st.head == null) {
            st.head = st.tail = r;
            linkWaiting(st);
        } else {
            r.prev = st.tail;
            st.tail.next = r;
            st.tail = r;
        }
        registrations++;
        return st;
    }

    @Override
    public int poll(long timeoutNanos, ReadySink sink) throws IOException {
        Objects.requireNonNull(sink, "sink");
        if (closed) {
            throw new IllegalStateException("poller nio is closed");
        }
        this.sink = sink;
        this.reported = 0;
        keysAdded = 0;
        keysBefore = selector.keys().size();
        expectedNow = expectedDrops;
        expectedDrops = 0;
        try {
            if (timeoutNanos != 0 && waitingHead != null) {
                // A channel closed behind our back before this poll loses its key at the start of
                // the next select, which would then sleep with the close unreported: look first.
                // selectNow clears a pending wake-up, so the flag tells whether one came before it.
                selector.selectNow(onKey);
                sweepIfUnexplainedDrop();
                if (reported > 0 || woken) {
                    woken = false;
                    return reported;
                }
            }
            if (timeoutNanos == 0) {
                selector.selectNow(onKey);
            } else if (timeoutNanos < 0) {
                selector.select(onKey);
            } else {
                selector.select(onKey, millisAtLeast(timeoutNanos));
            }
            sweepIfUnexplainedDrop();
            return reported;
        } finally {
            this.sink = null;
        }
    }

    /** Key count and announced closes at the start of the poll in progress (see the invariants). */
    private int keysBefore, expectedNow;

    /**
     * Sweeps the waiting list if the selects so far deregistered a key that no announced close
     * explains: a waited-on channel may have been closed behind our back.
     */
    private void sweepIfUnexplainedDrop() {
        int keysNow = selector.keys().size();
        if (keysNow < keysBefore + keysAdded - expectedNow) {
            if (waitingHead != null) {
                sweepClosed();
            }
            keysBefore = keysNow; // accounted for
            keysAdded = 0;
            expectedNow = 0;
        }
    }

    @Override
    public void closedByOwner(SelectableChannel channel) {
        if (closed || sink != null) {
            return; // during a poll: the key may outlive this poll's selects, so expect nothing (a sweep at worst)
        }
        SelectionKey key = channel.keyFor(selector); // non-null: not deregistered yet
        if (key != null && !key.isValid()) {
            ChannelState st = (ChannelState) key.attachment();
            if (!st.dropExpected) {
                st.dropExpected = true;
                expectedDrops++;
            }
        }
    }

    void onKey(SelectionKey key) {
        ChannelState st = (ChannelState) key.attachment();
        int ready;
        try {
            ready = fromNio(key.readyOps());
            int wanted = st.wantedOps();
            if ((ready & ~wanted) != 0) {
                key.interestOps(toNio(wanted, key.channel())); // the lazy drop of stale interest
            }
        } catch (CancelledKeyException e) {
            return; // closed meanwhile (by another thread, or by a sink call for an earlier key): a sweep reports it
        }
        for (Reg r = st.head; r != null; ) {
            Reg next = r.next;
            int hit = r.ops & ready;
            if (hit != 0 && r.state == st) {
                unlink(r);
                reported++;
                sink.ready(r.attachment, hit);
            }
            r = next;
        }
    }

    private void sweepClosed() {
        for (ChannelState st = waitingHead; st != null; ) {
            ChannelState next = st.nextWaiting;
            sweptChannels++;
            if (!st.key.isValid()) {
                for (Reg r = st.head; r != null; r = r.next) {
                    if (r.state == st) {
                        unlink(r);
                        reported++;
                        sink.ready(r.attachment, CLOSED);
                    }
                }
            }
            st = next;
        }
    }

    @Override
    public void wakeup() {
        woken = true; // before the selector's: see poll
        // Selector.wakeup already costs only a lock and a flag test while a wake-up is pending.
        selector.wakeup();
    }

    /**
     * Set by {@link #wakeup()} before it wakes the selector, cleared by a poll that saw it: a wake-up
     * that the look-first {@code selectNow} swallowed still ends the poll. A stale true costs at most
     * one early return.
     */
    private volatile boolean woken;

    @Override
    public int registrations() {
        return registrations;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        while (waitingHead != null) {
            ChannelState st = waitingHead;
            while (st.head != null) {
                unlink(st.head);
            }
        }
        try {
            selector.close(); // deregisters every key, which lets closed channels release their fds
        } catch (IOException e) {
            System.getLogger("dev.coro.poll.nio").log(System.Logger.Level.WARNING, "closing the selector failed", e);
        }
    }

    /** Removes a live registration (reported, cancelled, or its poller closing). */
    private void unlink(Reg r) {
        ChannelState st = r.state;
        r.state = null;
        if (r.prev != null) {
            r.prev.next = r.next;
        } else {
            st.head = r.next;
        }
        if (r.next != null) {
            r.next.prev = r.prev;
        } else {
            st.tail = r.prev;
        }
        r.prev = r.next = null; // an interest's Reg is linked again later
        registrations--;
        if (st.head == null) {
            unlinkWaiting(st);
        }
    }

    private void linkWaiting(ChannelState st) {
        st.nextWaiting = waitingHead;
        if (waitingHead != null) {
            waitingHead.prevWaiting = st;
        }
        waitingHead = st;
    }

    private void unlinkWaiting(ChannelState st) {
        if (st.prevWaiting != null) {
            st.prevWaiting.nextWaiting = st.nextWaiting;
        } else {
            waitingHead = st.nextWaiting;
        }
        if (st.nextWaiting != null) {
            st.nextWaiting.prevWaiting = st.prevWaiting;
        }
        st.prevWaiting = st.nextWaiting = null;
    }

    static int toNio(int ops, SelectableChannel ch) {
        int valid = ch.validOps();
        int n = 0;
        if ((ops & READ) != 0) {
            n |= valid & (SelectionKey.OP_READ | SelectionKey.OP_ACCEPT);
        }
        if ((ops & WRITE) != 0) {
            // OP_CONNECT fires only while a connect is pending and OP_WRITE only once connected.
            n |= valid & (SelectionKey.OP_WRITE | SelectionKey.OP_CONNECT);
        }
        return n;
    }

    static int fromNio(int nio) {
        int ops = 0;
        if ((nio & (SelectionKey.OP_READ | SelectionKey.OP_ACCEPT)) != 0) {
            ops |= READ;
        }
        if ((nio & (SelectionKey.OP_WRITE | SelectionKey.OP_CONNECT)) != 0) {
            ops |= WRITE;
        }
        return ops;
    }

    /** Selector timeouts are in ms and 0 means for ever: round up so that we never wake early. */
    static long millisAtLeast(long nanos) {
        return nanos >= Long.MAX_VALUE - 999_999 ? Long.MAX_VALUE / 1_000_000 : (nanos + 999_999) / 1_000_000;
    }

    long sweptChannels() {
        return sweptChannels;
    }

    /** For tests that look at a channel's key. */
    Selector selector() {
        return selector;
    }

    @Override
    public String toString() {
        return "NioPoller[" + registrations + " registration(s)" + (closed ? ", closed" : "") + "]";
    }

    /** A channel's live registrations (a key's attachment). */
    private static final class ChannelState {
        SelectionKey key;
        Reg head, tail;
        /** Counted in {@link #expectedDrops} (announced closed; the key goes at the next select). */
        boolean dropExpected;
        ChannelState prevWaiting, nextWaiting;

        int wantedOps() {
            int ops = 0;
            for (Reg r = head; r != null; r = r.next) {
                ops |= r.ops;
            }
            return ops;
        }
    }

    /** One registration; live while {@link #state} is set (an {@link NioInterest}'s is reused). */
    private static final class Reg implements Registration {
        final NioPoller poller;
        int ops;
        Object attachment;
        ChannelState state;
        Reg prev, next;

        Reg(NioPoller poller) {
            this.poller = poller;
        }

        @Override
        public void cancel() {
            if (state != null) {
                poller.unlink(this); // interest stays until it fires unwanted (lazy drop)
            }
        }
    }

    /** An {@link Interest} that re-arms one {@link Reg}: its waiter cancels each arming before the next. */
    private static final class NioInterest extends ReusableInterest {
        private final Reg reg;
        /** The channel's state as of the last arming (see {@link NioPoller#arm}). */
        private ChannelState known;

        NioInterest(NioPoller poller, SelectableChannel channel) {
            super(channel);
            this.reg = new Reg(poller);
        }

        @Override
        protected void arm(int ops, Object attachment) throws IOException {
            known = reg.poller.arm(reg, channel, ops, attachment, known);
        }

        @Override
        protected void disarm() {
            reg.cancel();
            reg.attachment = null;
        }
    }
}
