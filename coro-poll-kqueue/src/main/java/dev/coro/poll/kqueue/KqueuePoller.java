package dev.coro.poll.kqueue;

import dev.coro.spi.Poller;

import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.IllegalBlockingModeException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

import static dev.coro.poll.kqueue.KeventLayout.EVFILT_READ;
import static dev.coro.poll.kqueue.KeventLayout.EVFILT_WRITE;
import static dev.coro.poll.kqueue.KeventLayout.EV_ADD;
import static dev.coro.poll.kqueue.KeventLayout.EV_CLEAR;
import static dev.coro.poll.kqueue.KeventLayout.EV_EOF;
import static dev.coro.poll.kqueue.KeventLayout.EV_ERROR;
import static dev.coro.poll.kqueue.KeventLayout.EV_ONESHOT;
import static dev.coro.poll.kqueue.KeventLayout.NOTE_TRIGGER;

/**
 * The {@link Poller} SPI over one kqueue, for one scheduler run: {@code EVFILT_READ} /
 * {@code EVFILT_WRITE} with {@code EV_ONESHOT} per wait, and an {@code EVFILT_USER} event
 * ({@code EV_CLEAR}, triggered with {@code NOTE_TRIGGER}) for {@link #wakeup()}.
 *
 * <p>Invariants (all state belongs to the scheduler thread, except {@link #wakeup()}):
 * <ul>
 *   <li>one {@code kevent} call per poll: every change made since the last poll (registrations)
 *       rides in the changelist of the call that also waits; the changelist grows, never flushes
 *       early, and the eventlist is always at least as long as the changelist, so a change's
 *       {@code EV_ERROR} entry always has room and can never fail the whole call;</li>
 *   <li>a channel has one {@link Chan} from its first registration until it is found closed: its fd
 *       is read once ({@code SelChImpl.getFDVal()}), and its slot and generation make the knotes'
 *       {@code udata}, so an event of a knote that outlived its {@link Chan} is recognised as
 *       stale and ignored;</li>
 *   <li>{@code readArmed}/{@code writeArmed}: a one-shot knote is in the kernel or in the
 *       changelist. A cancelled wait leaves its knote armed (no {@code EV_DELETE}, no syscall): the
 *       next registration of that channel reuses it, and if nobody wants it when it fires it costs
 *       one ignored event, as nio's lazy interest drop;</li>
 *   <li>an {@code EV_ERROR} entry fails only the registrations of its change: {@code EBADF} (the fd
 *       was closed meanwhile) reports them {@link #CLOSED}; another errno, or an {@code EV_EOF}
 *       with the socket's error in {@code fflags}, reports them ready (so that their I/O, retried,
 *       meets the error) and is kept on the channel: the next registration of that channel throws
 *       it as an {@link IOException} naming the errno;</li>
 *   <li>kqueue drops the knotes of a closed fd silently, so channels closed behind the poller's back
 *       are found by a sweep of every {@link Chan}'s {@code isOpen()} at most every
 *       {@code sweepNanos}: each wait is cut to the next sweep while channels are known.</li>
 * </ul>
 *
 * <p>Caveats: a registration for {@code READ|WRITE} is reported once, with the bit of whichever
 * filter fired first. A channel closed behind the poller's back is reported {@code CLOSED} up to
 * one sweep interval (1 s) late (coro sockets wake their own waiters when closed). A {@link Chan}
 * stays (a few dozen bytes) until its channel is seen closed.
 */
public final class KqueuePoller implements Poller {
    static final long SWEEP_NANOS = 1_000_000_000L;
    private static final long WAKE_IDENT = 0;

    private final KeventLayout layout;
    private final int kq;
    private final KeventArray changes;
    private int nchanges;
    private final KeventArray events;
    /** The wake-up's change; written once, then only read by the kernel (from any thread). */
    private final KeventArray trigger;
    private final Timespec timespec;
    private final long sweepNanos;
    private long nextSweep;

    private final IdentityHashMap<SelectableChannel, Chan> chans = new IdentityHashMap<>();
    private Chan[] slots = new Chan[64];
    private int[] generations = new int[64];
    private int[] freeSlots = new int[64];
    private int freeCount;
    private int slotsUsed;
    private int registrations;

    /**
     * A trigger was sent (or is being sent) and no poll has consumed it yet: further wakeup() calls
     * need no syscall. Cleared by the poll that receives the user event.
     */
    private final AtomicBoolean wakePending = new AtomicBoolean();
    private final Object closeLock = new Object();
    private volatile boolean closed;

    /** The sink of the poll in progress and how many readinesses it got. */
    private ReadySink sink;
    private int reported;

    KqueuePoller() throws IOException {
        this(SWEEP_NANOS);
    }

    KqueuePoller(long sweepNanos) throws IOException {
        this.layout = KqueueNative.LAYOUT;
        this.sweepNanos = sweepNanos;
        this.kq = KqueueNative.newKqueue();
        KeventArray ch = null, ev = null, tr = null;
        Timespec ts = null;
        try {
            ch = new KeventArray(layout, 64);
            ev = new KeventArray(layout, 64);
            tr = new KeventArray(layout, 1);
            ts = new Timespec();
            ch.put(0, WAKE_IDENT, layout.evfiltUser, EV_ADD | EV_CLEAR, 0, 0, 0);
            // nevents 0: returns at once; a refused change then fails the call itself.
            if (KqueueNative.kevent(kq, ch.address(), 1, 0, 0, 0) < 0) {
                throw KqueueNative.error("kevent(EV_ADD EVFILT_USER)", com.sun.jna.Native.getLastError());
            }
            tr.put(0, WAKE_IDENT, layout.evfiltUser, 0, NOTE_TRIGGER, 0, 0);
        } catch (IOException | RuntimeException e) {
            for (AutoCloseable c : new AutoCloseable[]{ch, ev, tr, ts}) {
                if (c != null) {
                    try {
                        c.close();
                    } catch (Exception ignored) {
                        // the first failure is the one to report
                    }
                }
            }
            KqueueNative.close(kq);
            throw e;
        }
        this.changes = ch;
        this.events = ev;
        this.trigger = tr;
        this.timespec = ts;
        this.nextSweep = System.nanoTime() + sweepNanos;
    }

    @Override
    public String name() {
        return KqueuePollerProvider.NAME;
    }

    @Override
    public Registration register(SelectableChannel channel, int ops, Object attachment) throws IOException {
        Objects.requireNonNull(channel, "channel");
        if (ops == 0 || (ops & ~(READ | WRITE)) != 0) {
            throw new IllegalArgumentException("interest ops must be READ, WRITE or both, got " + ops);
        }
        if (closed) {
            throw new IllegalStateException("poller kqueue is closed");
        }
        if (!channel.isOpen()) {
            throw new ClosedChannelException();
        }
        if (!supports(channel.validOps(), ops)) {
            throw new IllegalArgumentException(channel + " supports no " + opsName(ops) + " readiness");
        }
        Chan c = chans.get(channel);
        if (c == null) {
            if (channel.isBlocking()) {
                throw new IllegalBlockingModeException();
            }
            c = newChan(channel);
        }
        if (c.errno != 0) {
            throw new IOException("poller kqueue: " + c.errorText() + " on " + channel);
        }
        Reg r = new Reg(this, c, ops, attachment);
        if (c.head == null) {
            c.head = c.tail = r;
        } else {
            r.prev = c.tail;
            c.tail.next = r;
            c.tail = r;
        }
        registrations++;
        if ((ops & READ) != 0 && !c.readArmed) {
            addChange(c.fd, EVFILT_READ, c.udata);
            c.readArmed = true;
        }
        if ((ops & WRITE) != 0 && !c.writeArmed) {
            addChange(c.fd, EVFILT_WRITE, c.udata);
            c.writeArmed = true;
        }
        return r;
    }

    private void addChange(int fd, short filter, long udata) {
        if (nchanges == changes.capacity()) {
            changes.grow(2 * nchanges, nchanges);
        }
        changes.put(nchanges++, fd, filter, EV_ADD | EV_ONESHOT, 0, 0, udata);
    }

    private Chan newChan(SelectableChannel channel) {
        if (!(channel instanceof sun.nio.ch.SelChImpl sel)) {
            throw new IllegalArgumentException("poller kqueue needs a JDK channel (sun.nio.ch.SelChImpl) to know the fd of "
                    + channel + " (" + channel.getClass().getName() + ")");
        }
        int slot;
        if (freeCount > 0) {
            slot = freeSlots[--freeCount];
        } else {
            if (slotsUsed == slots.length) {
                slots = Arrays.copyOf(slots, 2 * slotsUsed);
                generations = Arrays.copyOf(generations, 2 * slotsUsed);
            }
            slot = slotsUsed++;
        }
        int gen = ++generations[slot];
        if (gen == 0) {
            gen = ++generations[slot]; // 0 is never a generation, so a udata of 0 is never a channel's
        }
        Chan c = new Chan(channel, sel.getFDVal(), slot, gen);
        slots[slot] = c;
        chans.put(channel, c);
        return c;
    }

    private void dropChan(Chan c) {
        chans.remove(c.channel);
        slots[c.slot] = null;
        if (freeCount == freeSlots.length) {
            freeSlots = Arrays.copyOf(freeSlots, 2 * freeCount);
        }
        freeSlots[freeCount++] = c.slot;
    }

    private Chan lookup(long udata) {
        int slot = (int) udata;
        int gen = (int) (udata >>> 32);
        if (slot < 0 || slot >= slotsUsed) {
            return null;
        }
        Chan c = slots[slot];
        return c != null && c.gen == gen ? c : null;
    }

    @Override
    public int poll(long timeoutNanos, ReadySink sink) throws IOException {
        Objects.requireNonNull(sink, "sink");
        if (closed) {
            throw new IllegalStateException("poller kqueue is closed");
        }
        this.sink = sink;
        this.reported = 0;
        long deadline = timeoutNanos > 0 ? System.nanoTime() + timeoutNanos : 0;
        try {
            while (true) {
                long now = System.nanoTime();
                if (now - nextSweep >= 0) {
                    sweepClosed();
                    nextSweep = now + sweepNanos;
                }
                long wait;
                if (timeoutNanos == 0 || reported > 0) {
                    wait = 0;
                } else {
                    long toSweep = Math.max(0, nextSweep - now);
                    wait = timeoutNanos < 0 ? (chans.isEmpty() ? -1 : toSweep) : Math.min(Math.max(0, deadline - now), toSweep);
                }
                dropChangesOfClosedChannels();
                if (events.capacity() < nchanges) {
                    events.grow(nchanges, 0);
                }
                int n;
                try {
                    n = KqueueNative.kevent(kq, changes, nchanges, events, timespec, wait);
                } finally {
                    nchanges = 0;
                }
                int outcome = dispatch(n);
                if (n == events.capacity()) {
                    events.grow(2 * n, 0); // it filled: more may be waiting
                }
                if ((outcome & WOKEN) != 0) {
                    // Only now: the trigger is consumed, so the next wakeup() must send another. (Reset
                    // before the wait instead, a wakeup() between two polls could find the flag of a
                    // trigger already consumed and send none: a lost wake-up.)
                    wakePending.set(false);
                    return reported;
                }
                if (reported > 0) {
                    return reported;
                }
                if ((outcome & SCAN_SKIPPED) != 0) {
                    continue; // the kernel returned change errors without looking for events: look now
                }
                if (timeoutNanos == 0 || (timeoutNanos > 0 && System.nanoTime() - deadline >= 0)) {
                    return reported;
                }
                // Cut short by the sweep, or only stale events: wait on for the rest of the timeout.
            }
        } finally {
            this.sink = null;
        }
    }

    private static final int WOKEN = 1, SCAN_SKIPPED = 2;

    /**
     * A change queued for a channel that has been closed since (behind our back) would reach the
     * kernel under an fd number that may already belong to a new channel, arming a knote there with
     * the old channel's udata: its waiter would get the new channel's readiness. NIO is spared this
     * because the JDK defers the close of a channel registered with a Selector; we are not one. So
     * such registrations are reported CLOSED here and their changes dropped, as are changes of
     * channels given up since. One volatile read per change.
     */
    private void dropChangesOfClosedChannels() {
        int kept = 0;
        for (int i = 0; i < nchanges; i++) {
            Chan c = lookup(changes.udata(i));
            if (c == null) {
                continue;
            }
            if (!c.channel.isOpen()) {
                reportAll(c, CLOSED);
                dropChan(c);
                continue;
            }
            if (kept != i) {
                changes.put(kept, changes.ident(i), changes.filter(i), changes.flags(i), changes.fflags(i),
                        changes.data(i), changes.udata(i));
            }
            kept++;
        }
        nchanges = kept;
    }

    private int dispatch(int n) {
        int outcome = 0;
        for (int i = 0; i < n; i++) {
            short filter = events.filter(i);
            int flags = events.flags(i);
            if (filter == layout.evfiltUser) {
                outcome |= WOKEN;
                continue;
            }
            long errno = 0;
            if ((flags & EV_ERROR) != 0) {
                outcome |= SCAN_SKIPPED;
                errno = events.data(i);
                if (errno == 0) {
                    continue; // an EV_RECEIPT of a change that succeeded
                }
            }
            Chan c = lookup(events.udata(i));
            if (c == null) {
                continue; // a knote of a channel given up since (stale)
            }
            int bit;
            if (filter == EVFILT_READ) {
                c.readArmed = false;
                bit = READ;
            } else if (filter == EVFILT_WRITE) {
                c.writeArmed = false;
                bit = WRITE;
            } else {
                continue;
            }
            if (errno != 0) {
                if (errno == KqueueNative.EBADF) {
                    reportAll(c, CLOSED); // the fd was closed before the change reached the kernel
                    dropChan(c);
                    continue;
                }
                c.fail((int) errno, filter, false);
            } else if ((flags & EV_EOF) != 0 && events.fflags(i) != 0) {
                c.fail(events.fflags(i), filter, true);
            }
            report(c, bit);
        }
        return outcome;
    }

    private void report(Chan c, int bit) {
        for (Reg r = c.head; r != null; ) {
            Reg next = r.next;
            if ((r.ops & bit) != 0) {
                unlink(r);
                reported++;
                sink.ready(r.attachment, bit);
            }
            r = next;
        }
    }

    private void reportAll(Chan c, int ops) {
        while (c.head != null) {
            Reg r = c.head;
            unlink(r);
            reported++;
            sink.ready(r.attachment, ops);
        }
    }

    private void sweepClosed() {
        for (int s = 0; s < slotsUsed; s++) {
            Chan c = slots[s];
            if (c != null && !c.channel.isOpen()) {
                reportAll(c, CLOSED);
                dropChan(c);
            }
        }
    }

    @Override
    public void wakeup() {
        if (wakePending.get() || !wakePending.compareAndSet(false, true)) {
            return;
        }
        synchronized (closeLock) {
            // Under the lock: a closed kq's fd number may already name another file.
            if (!closed && KqueueNative.kevent(kq, trigger.address(), 1, 0, 0, 0) < 0) {
                System.getLogger("dev.coro.poll.kqueue").log(System.Logger.Level.WARNING,
                        "wake-up of poller kqueue failed: " + KqueueNative.describe(com.sun.jna.Native.getLastError()));
            }
        }
    }

    @Override
    public int registrations() {
        return registrations;
    }

    @Override
    public void close() {
        synchronized (closeLock) {
            if (closed) {
                return;
            }
            closed = true;
        }
        for (int s = 0; s < slotsUsed; s++) {
            Chan c = slots[s];
            if (c != null) {
                while (c.head != null) {
                    unlink(c.head);
                }
                slots[s] = null;
            }
        }
        chans.clear();
        if (KqueueNative.close(kq) < 0) {
            System.getLogger("dev.coro.poll.kqueue").log(System.Logger.Level.WARNING,
                    "closing kqueue fd " + kq + " failed: " + KqueueNative.describe(com.sun.jna.Native.getLastError()));
        }
        changes.close();
        events.close();
        trigger.close();
        timespec.close();
    }

    /** Removes a live registration (reported, cancelled, or its poller closing). */
    private void unlink(Reg r) {
        Chan c = r.chan;
        r.chan = null;
        if (r.prev != null) {
            r.prev.next = r.next;
        } else {
            c.head = r.next;
        }
        if (r.next != null) {
            r.next.prev = r.prev;
        } else {
            c.tail = r.prev;
        }
        r.prev = r.next = null;
        registrations--;
    }

    /** The eventlist's current capacity (tests: it grows when a poll fills it). */
    int eventCapacity() {
        return events.capacity();
    }

    static boolean supports(int valid, int ops) {
        if ((ops & READ) != 0 && (valid & (SelectionKey.OP_READ | SelectionKey.OP_ACCEPT)) == 0) {
            return false;
        }
        return (ops & WRITE) == 0 || (valid & (SelectionKey.OP_WRITE | SelectionKey.OP_CONNECT)) != 0;
    }

    private static String opsName(int ops) {
        return ops == READ ? "READ" : ops == WRITE ? "WRITE" : "READ|WRITE";
    }

    @Override
    public String toString() {
        return "KqueuePoller[fd " + kq + ", " + layout + " layout, " + registrations + " registration(s)"
                + (closed ? ", closed" : "") + "]";
    }

    /** A channel known to this kqueue: its fd, its udata, its live registrations, its knotes' state. */
    private static final class Chan {
        final SelectableChannel channel;
        final int fd;
        final int slot;
        final int gen;
        final long udata;
        Reg head, tail;
        boolean readArmed, writeArmed;
        /** A sticky error (EV_ERROR, or EV_EOF's fflags), 0 if none. */
        int errno;
        short errFilter;
        boolean errEof;

        Chan(SelectableChannel channel, int fd, int slot, int gen) {
            this.channel = channel;
            this.fd = fd;
            this.slot = slot;
            this.gen = gen;
            this.udata = ((long) gen << 32) | (slot & 0xffff_ffffL);
        }

        void fail(int errno, short filter, boolean eof) {
            if (this.errno == 0) {
                this.errno = errno;
                this.errFilter = filter;
                this.errEof = eof;
            }
        }

        String errorText() {
            String f = errFilter == EVFILT_READ ? "EVFILT_READ" : "EVFILT_WRITE";
            return errEof ? "the socket failed with " + KqueueNative.describe(errno) + " (EV_EOF of " + f + " on fd "
                    + fd + ")" : "kevent refused " + f + " on fd " + fd + ": " + KqueueNative.describe(errno);
        }
    }

    /** One registration; live while {@link #chan} is set. */
    private static final class Reg implements Registration {
        final KqueuePoller poller;
        final int ops;
        final Object attachment;
        Chan chan;
        Reg prev, next;

        Reg(KqueuePoller poller, Chan chan, int ops, Object attachment) {
            this.poller = poller;
            this.chan = chan;
            this.ops = ops;
            this.attachment = attachment;
        }

        @Override
        public void cancel() {
            if (chan != null) {
                poller.unlink(this); // the knote stays armed: the next wait of this channel reuses it
            }
        }
    }
}
