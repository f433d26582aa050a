package dev.coro.poll.kqueue;

import dev.coro.spi.OsEvent;
import dev.coro.spi.Poller;
import dev.coro.spi.PollerArguments;
import dev.coro.spi.ReusableInterest;

import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.IllegalBlockingModeException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.util.Arrays;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

import static dev.coro.poll.kqueue.KeventLayout.EVFILT_READ;
import static dev.coro.poll.kqueue.KeventLayout.EVFILT_WRITE;
import static dev.coro.poll.kqueue.KeventLayout.EV_ADD;
import static dev.coro.poll.kqueue.KeventLayout.EV_CLEAR;
import static dev.coro.poll.kqueue.KeventLayout.EV_DELETE;
import static dev.coro.poll.kqueue.KeventLayout.EV_EOF;
import static dev.coro.poll.kqueue.KeventLayout.EV_ERROR;
import static dev.coro.poll.kqueue.KeventLayout.EV_ONESHOT;
import static dev.coro.poll.kqueue.KeventLayout.NOTE_TRIGGER;

/**
 * The {@link Poller} SPI over one kqueue, for one scheduler run: {@code EVFILT_READ} /
 * {@code EVFILT_WRITE} with {@code EV_ONESHOT} per wait, an {@code EVFILT_USER} event
 * ({@code EV_CLEAR}, triggered with {@code NOTE_TRIGGER}) for {@link #wakeup()}, and the
 * {@link OsEvent}s natively: {@code EVFILT_SIGNAL}, {@code EVFILT_PROC}/{@code NOTE_EXIT},
 * {@code EVFILT_VNODE}, each one-shot per wait.
 *
 * <p>Invariants (all state belongs to the scheduler thread, except {@link #wakeup()}):
 * <ul>
 *   <li>one {@code kevent} call per poll: every change made since the last poll (registrations,
 *       an OS event knote's deletion) rides in the changelist of the call that also waits; the
 *       changelist grows, never flushes early, and the eventlist is always at least as long as the
 *       changelist, so a change's {@code EV_ERROR} entry always has room and can never fail the
 *       whole call;</li>
 *   <li>a channel has one {@link Chan} from its first registration until it is found closed: its fd
 *       is read once ({@code SelChImpl.getFDVal()}), and its {@link Slots} entry makes the knotes'
 *       {@code udata}, so an event of a knote that outlived its {@link Chan} is recognised as
 *       stale and ignored; OS event knotes ({@link EvKnote}) have a table of their own, told
 *       apart by filter;</li>
 *   <li>{@code readArmed}/{@code writeArmed}: a one-shot knote is in the kernel or in the
 *       changelist. A cancelled wait leaves its knote armed (no {@code EV_DELETE}, no syscall): the
 *       next registration of that channel reuses it, and if nobody wants it when it fires it costs
 *       one ignored event, as nio's lazy interest drop;</li>
 *   <li>an OS event knote lives while it has waiters: waits for one signal or one pid share a knote
 *       (kqueue keys knotes by ident and filter), a file wait has its own (and its own fd, opened
 *       for the wait). When its last waiter leaves before it fired, an {@code EV_DELETE} goes into
 *       the changelist and a file's fd is closed after the call that carries it, so nothing of a
 *       wait stays in the kernel;</li>
 *   <li>errors reach only the waiters of their change: an {@code EV_ERROR} of {@code EBADF} (the fd
 *       was closed meanwhile) reports a channel's registrations {@link #CLOSED}; any other errno,
 *       and an {@code EV_EOF} with the socket's error in {@code fflags}, fails them
 *       ({@link ReadySink#failed}) with an {@link IOException} carrying the OS's message for the
 *       errno (so a reset reads as the JDK's "Connection reset by peer");</li>
 *   <li>kqueue drops the knotes of a closed fd silently, so channels closed behind the poller's back
 *       are found by a sweep of every {@link Chan}'s {@code isOpen()} at most every
 *       {@code sweepNanos}: each wait is cut to the next sweep while channels are known.</li>
 * </ul>
 *
 * <p>Caveats: a registration for {@code READ|WRITE} is reported once, with the bit of whichever
 * filter fired first. A channel closed behind the poller's back is reported {@code CLOSED} up to
 * one sweep interval (1 s) late (coro sockets wake their own waiters when closed). A {@link Chan}
 * stays (a few dozen bytes) until its channel is seen closed. A signal is seen by kqueue only while
 * a knote for it exists, i.e. while some coro waits (deliveries between two waits are not counted).
 */
public final class KqueuePoller implements Poller {
    static final long SWEEP_NANOS = 1_000_000_000L;
    private static final long WAKE_IDENT = 0;
    /** kevent(2)'s errno for an EVFILT_PROC of a process that is gone. */
    private static final int ESRCH = 3;

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
    private final Slots<Chan> chanSlots = new Slots<>();
    private final Slots<EvKnote> evSlots = new Slots<>();
    /** The shared knotes of signals (by number) and processes (by pid) that have waiters. */
    private final HashMap<Long, EvKnote> signalKnotes = new HashMap<>();
    private final HashMap<Long, EvKnote> procKnotes = new HashMap<>();
    /** Fds of file waits whose knote's EV_DELETE is in the changelist: closed after the next kevent call. */
    private int[] closeAfterCall = new int[8];
    private int ncloseAfterCall;
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

    // ---------------------------------------------------------------- channels

    @Override
    public Registration register(SelectableChannel channel, int ops, Object attachment) throws IOException {
        Reg r = new Reg(this);
        arm(r, channel, ops, attachment);
        return r;
    }

    @Override
    public Interest interest(SelectableChannel channel) {
        return new KqueueInterest(this, channel);
    }

    /** Links {@code r} (not live) as a registration of {@code channel} for {@code ops}. */
    private void arm(Reg r, SelectableChannel channel, int ops, Object attachment) throws IOException {
        PollerArguments.check(channel, ops);
        requireOpen();
        if (!channel.isOpen()) {
            throw new ClosedChannelException();
        }
        if (!supports(channel.validOps(), ops)) {
            throw new IllegalArgumentException(channel + " supports no " + PollerArguments.opsName(ops) + " readiness");
        }
        Chan c = chans.get(channel);
        if (c == null) {
            if (channel.isBlocking()) {
                throw new IllegalBlockingModeException();
            }
            c = newChan(channel);
        }
        r.ops = ops;
        r.attachment = attachment;
        c.add(r);
        registrations++;
        if ((ops & READ) != 0 && !c.readArmed) {
            addChange(c.fd, EVFILT_READ, EV_ADD | EV_ONESHOT, 0, c.udata);
            c.readArmed = true;
        }
        if ((ops & WRITE) != 0 && !c.writeArmed) {
            addChange(c.fd, EVFILT_WRITE, EV_ADD | EV_ONESHOT, 0, c.udata);
            c.writeArmed = true;
        }
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("poller kqueue is closed");
        }
    }

    private void addChange(long ident, short filter, int flags, int fflags, long udata) {
        if (nchanges == changes.capacity()) {
            changes.grow(2 * nchanges, nchanges);
        }
        changes.put(nchanges++, ident, filter, flags, fflags, 0, udata);
    }

    private Chan newChan(SelectableChannel channel) {
        if (!(channel instanceof sun.nio.ch.SelChImpl sel)) {
            throw new IllegalArgumentException("poller kqueue needs a JDK channel (sun.nio.ch.SelChImpl) to know the fd of "
                    + channel + " (" + channel.getClass().getName() + ")");
        }
        Chan c = new Chan(channel, sel.getFDVal());
        c.udata = chanSlots.add(c);
        chans.put(channel, c);
        return c;
    }

    private void dropChan(Chan c) {
        chans.remove(c.channel);
        chanSlots.remove(c.udata);
    }

    private static boolean isChannelFilter(short filter) {
        return filter == EVFILT_READ || filter == EVFILT_WRITE;
    }

    // ---------------------------------------------------------------- OS events

    @Override
    public boolean waitsNatively(Class<? extends OsEvent> kind) {
        return kind == OsEvent.Signal.class || kind == OsEvent.ProcessExit.class || kind == OsEvent.FileChange.class;
    }

    @Override
    public Registration register(OsEvent event, Object attachment) throws IOException {
        Objects.requireNonNull(event, "event");
        requireOpen();
        EvKnote k = switch (event) {
            case OsEvent.Signal s -> shared(signalKnotes, s.number(), layout.evfiltSignal, 0, -1, 0);
            case OsEvent.ProcessExit p -> shared(procKnotes, p.pid(), layout.evfiltProc,
                    KeventLayout.NOTE_EXIT | (layout == KeventLayout.MACOS ? KeventLayout.NOTE_EXITSTATUS : 0), -1, 0);
            case OsEvent.FileChange f -> {
                int fd = KqueueNative.openForEvents(f.path());
                yield newKnote(null, fd, layout.evfiltVnode, notes(f.interest()), fd, f.interest());
            }
        };
        EvReg r = new EvReg(this, attachment);
        k.add(r);
        registrations++;
        if (!k.armed) {
            addChange(k.ident, k.filter, EV_ADD | EV_ONESHOT, k.fflags, k.udata);
            k.armed = true;
        }
        return r;
    }

    private EvKnote shared(HashMap<Long, EvKnote> map, long ident, short filter, int fflags, int fd, int interest) {
        EvKnote k = map.get(ident);
        return k != null ? k : newKnote(map, ident, filter, fflags, fd, interest);
    }

    private EvKnote newKnote(HashMap<Long, EvKnote> map, long ident, short filter, int fflags, int fd, int interest) {
        EvKnote k = new EvKnote(map, ident, filter, fflags, fd, interest);
        k.udata = evSlots.add(k);
        if (map != null) {
            map.put(ident, k);
        }
        return k;
    }

    /** The knote has no waiter left: out of the tables, and out of the kernel if it is still armed there. */
    private void retire(EvKnote k) {
        if (k.map != null) {
            k.map.remove(k.ident);
        }
        evSlots.remove(k.udata);
        if (k.armed) {
            addChange(k.ident, k.filter, EV_DELETE, 0, k.udata);
            k.armed = false;
            if (k.fd >= 0) {
                if (ncloseAfterCall == closeAfterCall.length) {
                    closeAfterCall = Arrays.copyOf(closeAfterCall, 2 * ncloseAfterCall);
                }
                closeAfterCall[ncloseAfterCall++] = k.fd; // the EV_DELETE above names it
            }
        } else if (k.fd >= 0) {
            closeFd(k.fd);
        }
    }

    private static int notes(int interest) {
        int n = 0;
        if ((interest & OsEvent.FileChange.WRITE) != 0) {
            n |= KeventLayout.NOTE_WRITE;
        }
        if ((interest & OsEvent.FileChange.EXTEND) != 0) {
            n |= KeventLayout.NOTE_EXTEND;
        }
        if ((interest & OsEvent.FileChange.ATTRIB) != 0) {
            n |= KeventLayout.NOTE_ATTRIB | KeventLayout.NOTE_LINK;
        }
        if ((interest & OsEvent.FileChange.RENAME) != 0) {
            n |= KeventLayout.NOTE_RENAME;
        }
        if ((interest & OsEvent.FileChange.DELETE) != 0) {
            n |= KeventLayout.NOTE_DELETE;
        }
        return n;
    }

    private static int changesOf(int notes) {
        int c = 0;
        if ((notes & KeventLayout.NOTE_WRITE) != 0) {
            c |= OsEvent.FileChange.WRITE;
        }
        if ((notes & KeventLayout.NOTE_EXTEND) != 0) {
            c |= OsEvent.FileChange.EXTEND;
        }
        if ((notes & (KeventLayout.NOTE_ATTRIB | KeventLayout.NOTE_LINK)) != 0) {
            c |= OsEvent.FileChange.ATTRIB;
        }
        if ((notes & KeventLayout.NOTE_RENAME) != 0) {
            c |= OsEvent.FileChange.RENAME;
        }
        if ((notes & KeventLayout.NOTE_DELETE) != 0) {
            c |= OsEvent.FileChange.DELETE;
        }
        return c;
    }

    private void closeFd(int fd) {
        if (KqueueNative.close(fd) < 0) {
            System.getLogger("dev.coro.poll.kqueue").log(System.Logger.Level.WARNING,
                    "closing the fd " + fd + " of a file wait failed: " + KqueueNative.describe(com.sun.jna.Native.getLastError()));
        }
    }

    // ---------------------------------------------------------------- poll

    @Override
    public int poll(long timeoutNanos, ReadySink sink) throws IOException {
        Objects.requireNonNull(sink, "sink");
        requireOpen();
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
                    closeFdsOfDeletedKnotes();
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

    private void closeFdsOfDeletedKnotes() {
        for (int i = 0; i < ncloseAfterCall; i++) {
            closeFd(closeAfterCall[i]);
        }
        ncloseAfterCall = 0;
    }

    private static final int WOKEN = 1, SCAN_SKIPPED = 2;

    /**
     * A change queued for a channel that has been closed since (behind our back) would reach the
     * kernel under an fd number that may already belong to a new channel, arming a knote there with
     * the old channel's udata: its waiter would get the new channel's readiness. NIO is spared this
     * because the JDK defers the close of a channel registered with a Selector; we are not one. So
     * such registrations are reported CLOSED here and their changes dropped, as are changes of
     * channels given up since. One volatile read per change. (OS event changes name fds and pids
     * this poller owns or signals: they pass.)
     */
    private void dropChangesOfClosedChannels() {
        int kept = 0;
        for (int i = 0; i < nchanges; i++) {
            if (isChannelFilter(changes.filter(i))) {
                Chan c = chanSlots.get(changes.udata(i));
                if (c == null) {
                    continue;
                }
                if (!c.channel.isOpen()) {
                    reportAll(c, CLOSED);
                    dropChan(c);
                    continue;
                }
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
            if (isChannelFilter(filter)) {
                dispatchChannel(i, filter, flags, (int) errno);
            } else {
                dispatchEvent(i, filter, (flags & EV_ERROR) != 0, (int) errno);
            }
        }
        return outcome;
    }

    private void dispatchChannel(int i, short filter, int flags, int errno) {
        Chan c = chanSlots.get(events.udata(i));
        if (c == null) {
            return; // a knote of a channel given up since (stale)
        }
        int bit;
        if (filter == EVFILT_READ) {
            c.readArmed = false;
            bit = READ;
        } else {
            c.writeArmed = false;
            bit = WRITE;
        }
        if (errno != 0) {
            if (errno == KqueueNative.EBADF) {
                reportAll(c, CLOSED); // the fd was closed before the change reached the kernel
                dropChan(c);
                return;
            }
            fail(c, bit, new IOException("poller kqueue: kevent refused " + filterName(filter) + " on fd " + c.fd
                    + " (" + c.channel + "): " + KqueueNative.describe(errno)));
        } else if ((flags & EV_EOF) != 0 && events.fflags(i) != 0) {
            // The socket's error (kqueue(2): EV_EOF, fflags = errno), as the JDK would raise it from a read or write.
            fail(c, bit, KqueueNative.socketError(events.fflags(i)));
        } else {
            report(c, bit);
        }
    }

    private void dispatchEvent(int i, short filter, boolean error, int errno) {
        EvKnote k = evSlots.get(events.udata(i));
        if (k == null || k.filter != filter) {
            return; // the knote of a wait that ended since (stale), or its EV_DELETE's receipt
        }
        k.armed = false; // one-shot: fired, or its EV_ADD failed
        IOException failure = null;
        long data;
        if (error) {
            if (filter == layout.evfiltProc && errno == ESRCH) {
                data = -1; // gone before the knote was added: exited, status unknown to us
            } else {
                failure = new IOException("poller kqueue: kevent refused " + filterName(filter) + " for ident " + k.ident
                        + ": " + KqueueNative.describe(errno));
                data = 0;
            }
        } else if (filter == layout.evfiltVnode) {
            data = changesOf(events.fflags(i)) & k.interest;
            if (data == 0) {
                addChange(k.ident, k.filter, EV_ADD | EV_ONESHOT, k.fflags, k.udata); // nothing asked for: re-arm
                k.armed = true;
                return;
            }
        } else if (filter == layout.evfiltProc) {
            data = layout == KeventLayout.MACOS && (events.fflags(i) & KeventLayout.NOTE_EXITSTATUS) == 0 ? -1 : events.data(i);
        } else {
            data = Math.max(1, events.data(i));
        }
        while (k.head != null) {
            Waiter r = k.head;
            unlink(r);
            reported++;
            if (failure != null) {
                sink.failed(r.attachment, failure);
            } else {
                sink.fired(r.attachment, data);
            }
        }
        retire(k);
    }

    private void report(Chan c, int bit) {
        for (Waiter w = c.head; w != null; ) {
            Waiter next = w.next;
            if ((((Reg) w).ops & bit) != 0) {
                unlink(w);
                reported++;
                sink.ready(w.attachment, bit);
            }
            w = next;
        }
    }

    private void fail(Chan c, int bit, IOException error) {
        for (Waiter w = c.head; w != null; ) {
            Waiter next = w.next;
            if ((((Reg) w).ops & bit) != 0) {
                unlink(w);
                reported++;
                sink.failed(w.attachment, error);
            }
            w = next;
        }
    }

    private void reportAll(Chan c, int ops) {
        while (c.head != null) {
            Waiter r = c.head;
            unlink(r);
            reported++;
            sink.ready(r.attachment, ops);
        }
    }

    private void sweepClosed() {
        for (int s = 0; s < chanSlots.extent(); s++) {
            Chan c = chanSlots.at(s);
            if (c != null && !c.channel.isOpen()) {
                reportAll(c, CLOSED);
                dropChan(c);
            }
        }
    }

    // ---------------------------------------------------------------- wakeup, close

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
        for (int s = 0; s < chanSlots.extent(); s++) {
            Chan c = chanSlots.at(s);
            if (c != null) {
                while (c.head != null) {
                    unlink(c.head);
                }
            }
        }
        chans.clear();
        for (int s = 0; s < evSlots.extent(); s++) {
            EvKnote k = evSlots.at(s);
            if (k != null) {
                while (k.head != null) {
                    unlink(k.head);
                }
                if (k.fd >= 0) {
                    closeFd(k.fd); // its knote goes with the kqueue
                }
            }
        }
        closeFdsOfDeletedKnotes();
        signalKnotes.clear();
        procKnotes.clear();
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
    private void unlink(Waiter w) {
        w.owner.remove(w);
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

    private String filterName(short filter) {
        return filter == EVFILT_READ ? "EVFILT_READ" : filter == EVFILT_WRITE ? "EVFILT_WRITE"
                : filter == layout.evfiltSignal ? "EVFILT_SIGNAL" : filter == layout.evfiltProc ? "EVFILT_PROC"
                : filter == layout.evfiltVnode ? "EVFILT_VNODE" : "filter " + filter;
    }

    @Override
    public String toString() {
        return "KqueuePoller[fd " + kq + ", " + layout + " layout, " + registrations + " registration(s)"
                + (closed ? ", closed" : "") + "]";
    }

    /** The live registrations of a channel or a knote, in registration order. */
    private static class Waiters {
        Waiter head, tail;

        final void add(Waiter w) {
            w.owner = this;
            if (head == null) {
                head = tail = w;
            } else {
                w.prev = tail;
                tail.next = w;
                tail = w;
            }
        }

        final void remove(Waiter w) {
            if (w.prev != null) {
                w.prev.next = w.next;
            } else {
                head = w.next;
            }
            if (w.next != null) {
                w.next.prev = w.prev;
            } else {
                tail = w.prev;
            }
            w.owner = null;
            w.prev = w.next = null;
        }
    }

    /** One registration; live while it has an {@link #owner}. */
    private abstract static class Waiter implements Registration {
        final KqueuePoller poller;
        Object attachment;
        Waiters owner;
        Waiter prev, next;

        Waiter(KqueuePoller poller, Object attachment) {
            this.poller = poller;
            this.attachment = attachment;
        }
    }

    /** A channel known to this kqueue: its fd, its udata, its live registrations, its knotes' state. */
    private static final class Chan extends Waiters {
        final SelectableChannel channel;
        final int fd;
        long udata;
        boolean readArmed, writeArmed;

        Chan(SelectableChannel channel, int fd) {
            this.channel = channel;
            this.fd = fd;
        }
    }

    /** A channel's wait for {@link #ops}. */
    private static final class Reg extends Waiter {
        int ops;

        Reg(KqueuePoller poller) {
            super(poller, null);
        }

        @Override
        public void cancel() {
            if (owner != null) {
                poller.unlink(this); // the knote stays armed: the next wait of this channel reuses it
            }
        }
    }

    /**
     * An OS event knote and its waiters: a signal's or a pid's (shared, in {@link #map}) or one file
     * wait's (its own {@link #fd}, which is also its ident).
     */
    private static final class EvKnote extends Waiters {
        final HashMap<Long, EvKnote> map;
        final long ident;
        final short filter;
        final int fflags;
        final int fd;
        /** A file wait's interest (OsEvent.FileChange bits). */
        final int interest;
        long udata;
        /** Its one-shot EV_ADD is in the kernel or in the changelist. */
        boolean armed;

        EvKnote(HashMap<Long, EvKnote> map, long ident, short filter, int fflags, int fd, int interest) {
            this.map = map;
            this.ident = ident;
            this.filter = filter;
            this.fflags = fflags;
            this.fd = fd;
            this.interest = interest;
        }
    }

    /** A wait for an OS event. */
    private static final class EvReg extends Waiter {
        EvReg(KqueuePoller poller, Object attachment) {
            super(poller, attachment);
        }

        @Override
        public void cancel() {
            if (owner instanceof EvKnote k) {
                poller.unlink(this);
                if (k.head == null) {
                    poller.retire(k);
                }
            }
        }
    }

    /** An {@link Interest} that re-arms one {@link Reg}: its waiter cancels each arming before the next. */
    private static final class KqueueInterest extends ReusableInterest {
        private final Reg reg;

        KqueueInterest(KqueuePoller poller, SelectableChannel channel) {
            super(channel);
            this.reg = new Reg(poller);
        }

        @Override
        protected void arm(int ops, Object attachment) throws IOException {
            reg.poller.arm(reg, channel, ops, attachment);
        }

        @Override
        protected void disarm() {
            reg.cancel();
            reg.attachment = null;
        }
    }
}
