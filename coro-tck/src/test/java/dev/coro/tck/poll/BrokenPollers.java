package dev.coro.tck.poll;

import java.io.IOException;
import java.nio.channels.Pipe;
import java.nio.channels.SelectionKey;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Deliberately broken pollers, each {@link SelectorPoller} breaking one sentence of the Poller SPI
 * javadoc or of SPEC.md §4 (SPEC.md#poller). Invariants: each breaks exactly what its javadoc
 * says, deterministically; what the leaking ones leave is closed by the teeth test at its end
 * ({@link #releaseLeaks()}).
 */
public final class BrokenPollers {
    private BrokenPollers() {
    }

    /** What the leaking variants left open; the teeth test closes them for real afterwards. */
    public static final List<AutoCloseable> LEAKED = new CopyOnWriteArrayList<>();
    private static final CountDownLatch RELEASE = new CountDownLatch(1);

    /** Closes what the leaking variants left and ends their threads. */
    public static void releaseLeaks() throws Exception {
        RELEASE.countDown();
        for (AutoCloseable c : LEAKED) {
            c.close();
        }
    }

    // ---- once per registration, how many it handed ----

    /** Reports a readiness but keeps the registration, so it fires again at the next poll. */
    public static final class ReportsTwice extends SelectorPoller {
        public ReportsTwice() throws IOException {
        }

        @Override
        protected int report(Reg r, int ops, ReadySink sink) {
            sink.ready(r.attachment, ops);
            return 1;
        }
    }

    /** poll() returns 0 whatever it handed ("returns how many it handed"). */
    public static final class MiscountsWhatItHanded extends SelectorPoller {
        public MiscountsWhatItHanded() throws IOException {
        }

        @Override
        protected int counted(int handed) {
            return 0;
        }
    }

    // ---- none lost ----

    /** Drops every second readiness: the registration ends but nobody hears of it. */
    public static final class DropsReadiness extends SelectorPoller {
        private int count;

        public DropsReadiness() throws IOException {
        }

        @Override
        protected int report(Reg r, int ops, ReadySink sink) {
            if (count++ % 2 == 1) {
                retire(r);
                return 0;
            }
            return super.report(r, ops, sink);
        }
    }

    /** cancel() does nothing: a cancelled registration may still fire. */
    public static final class IgnoresCancel extends SelectorPoller {
        public IgnoresCancel() throws IOException {
        }

        @Override
        protected void cancelled(Reg r) {
        }
    }

    /** Right for its first 200 polls; from then on it drops every readiness (goes wrong after many cycles). */
    public static final class BreaksAfterManyCycles extends SelectorPoller {
        private int polls;

        public BreaksAfterManyCycles() throws IOException {
        }

        @Override
        protected void beforePoll() {
            polls++;
        }

        @Override
        protected int report(Reg r, int ops, ReadySink sink) {
            if (polls > 200) {
                retire(r);
                return 0;
            }
            return super.report(r, ops, sink);
        }
    }

    /** Hands at most 256 readiness events per poll (its buffer) and drops the rest. */
    public static final class DropsWhatOverflowsItsBuffer extends SelectorPoller {
        private int handed;

        public DropsWhatOverflowsItsBuffer() throws IOException {
        }

        @Override
        protected void beforePoll() {
            handed = 0;
        }

        @Override
        protected int report(Reg r, int ops, ReadySink sink) {
            if (handed >= 256) {
                retire(r);
                return 0;
            }
            handed++;
            return super.report(r, ops, sink);
        }
    }

    /** A registration for another op of a channel that has one replaces it (READ and WRITE on one channel: one is lost). */
    public static final class OneRegistrationPerChannel extends SelectorPoller {
        public OneRegistrationPerChannel() throws IOException {
        }

        @Override
        protected void add(SelectionKey key, Reg r) {
            for (Reg old : List.copyOf(regs(key))) {
                old.active = false;
                regs(key).remove(old); // forgotten, but still counted live
            }
            regs(key).add(r);
        }
    }

    /** Reports readiness with the wrong ops: WRITE for READ and READ for WRITE. */
    public static final class ReportsTheWrongOps extends SelectorPoller {
        public ReportsTheWrongOps() throws IOException {
        }

        @Override
        protected int report(Reg r, int ops, ReadySink sink) {
            int swapped = ops == READ ? WRITE : ops == WRITE ? READ : ops;
            return super.report(r, swapped, sink);
        }
    }

    /** Never reports CLOSED: the waiter of a channel closed behind its back is forgotten. */
    public static final class MissesClose extends SelectorPoller {
        public MissesClose() throws IOException {
        }

        @Override
        protected int reportClosed(ReadySink sink) {
            return 0;
        }
    }

    /**
     * Trusts closedByOwner too far: after one, it skips the search for closed channels until the
     * next poll, so a channel closed behind its back in the same interval goes unreported then.
     */
    public static final class SkipsCloseAfterAnOwnersClose extends SelectorPoller {
        private boolean announced;

        public SkipsCloseAfterAnOwnersClose() throws IOException {
        }

        @Override
        public void closedByOwner(java.nio.channels.SelectableChannel channel) {
            announced = true;
        }

        @Override
        protected int reportClosed(ReadySink sink) {
            if (announced) {
                announced = false;
                return 0;
            }
            return super.reportClosed(sink);
        }
    }

    /** closedByOwner() of a channel that is still open drops its registrations (it has no effect there). */
    public static final class ClosedByOwnerOfAnOpenChannelDropsIt extends SelectorPoller {
        public ClosedByOwnerOfAnOpenChannelDropsIt() throws IOException {
        }

        @Override
        public void closedByOwner(java.nio.channels.SelectableChannel channel) {
            SelectionKey key = channel.keyFor(selector);
            if (key != null) {
                regs(key).clear(); // forgotten: still counted, never reported
                key.attach(new java.util.ArrayList<Reg>());
            }
        }
    }

    /** cancel() stops counting the registration but leaves it armed: a cancelled registration still fires. */
    public static final class CancelledOnesStillFire extends SelectorPoller {
        public CancelledOnesStillFire() throws IOException {
        }

        @Override
        protected void cancelled(Reg r) {
            if (r.active) {
                r.active = false;
                live--;
            }
        }

        @Override
        protected int report(Reg r, int ops, ReadySink sink) {
            if (!r.active) { // cancelled: report it anyway, then forget it
                regs(r.key).remove(r);
                sink.ready(r.attachment, ops);
                return 1;
            }
            return super.report(r, ops, sink);
        }
    }

    // ---- registrations() ----

    /** cancel() of a registration already reported cancels the live registration of the same channel and op instead. */
    public static final class CancelOfAReportedOneCancelsTheNext extends SelectorPoller {
        public CancelOfAReportedOneCancelsTheNext() throws IOException {
        }

        @Override
        protected void cancelled(Reg r) {
            if (r.active) {
                retire(r);
                return;
            }
            for (Reg other : List.copyOf(regs(r.key))) {
                if (other.ops == r.ops) {
                    retire(other);
                    return;
                }
            }
        }
    }

    /** registrations() goes down only on cancel: a reported registration still counts. */
    public static final class CountsReportedOnesAsLive extends SelectorPoller {
        public CountsReportedOnesAsLive() throws IOException {
        }

        @Override
        protected int report(Reg r, int ops, ReadySink sink) {
            int n = super.report(r, ops, sink);
            live++;
            return n;
        }
    }

    // ---- timeouts ----

    /** poll(t) with t > 0 waits only half of t. */
    public static final class ReturnsBeforeItsTimeout extends SelectorPoller {
        public ReturnsBeforeItsTimeout() throws IOException {
        }

        @Override
        protected void select(long timeoutNanos) throws IOException {
            super.select(timeoutNanos > 0 ? Math.max(1, timeoutNanos / 2) : timeoutNanos);
        }
    }

    /** poll(t) with t > 0 waits t plus 1.5 s. */
    public static final class OvershootsItsTimeout extends SelectorPoller {
        public OvershootsItsTimeout() throws IOException {
        }

        @Override
        protected void select(long timeoutNanos) throws IOException {
            super.select(timeoutNanos > 0 ? timeoutNanos + 1_500_000_000L : timeoutNanos);
        }
    }

    /** poll(negative) does not wait ("until readiness or a wake-up"): an idle loop over it spins. */
    public static final class NegativeTimeoutDoesNotWait extends SelectorPoller {
        public NegativeTimeoutDoesNotWait() throws IOException {
        }

        @Override
        protected void select(long timeoutNanos) throws IOException {
            super.select(timeoutNanos < 0 ? 0 : timeoutNanos);
        }
    }

    /** poll(0) waits (up to 2 s) instead of not waiting at all. */
    public static final class ZeroTimeoutWaits extends SelectorPoller {
        public ZeroTimeoutWaits() throws IOException {
        }

        @Override
        protected void select(long timeoutNanos) throws IOException {
            super.select(timeoutNanos == 0 ? 2_000_000_000L : timeoutNanos);
        }
    }

    // ---- wakeup ----

    /** wakeup() does nothing, so a poll without timeout stays blocked. */
    public static final class DeafToWakeup extends SelectorPoller {
        public DeafToWakeup() throws IOException {
        }

        @Override
        public void wakeup() {
        }
    }

    /** wakeup() wakes only a poll in progress; one made before the poll is lost ("or the next one"). */
    public static final class WakesOnlyAPollInProgress extends SelectorPoller {
        private volatile boolean polling;

        public WakesOnlyAPollInProgress() throws IOException {
        }

        @Override
        protected void select(long timeoutNanos) throws IOException {
            selector.selectNow(); // consumes a wake-up made before this poll
            polling = true;
            try {
                super.select(timeoutNanos);
            } finally {
                polling = false;
            }
        }

        @Override
        public void wakeup() {
            if (polling) {
                super.wakeup();
            }
        }
    }

    /** One wakeup() makes every later poll return at once: the wake-up is never used up. */
    public static final class WakeupNeverUsedUp extends SelectorPoller {
        private volatile boolean woken;

        public WakeupNeverUsedUp() throws IOException {
        }

        @Override
        protected void select(long timeoutNanos) throws IOException {
            super.select(woken ? 0 : timeoutNanos);
        }

        @Override
        public void wakeup() {
            woken = true;
            super.wakeup();
        }
    }

    // ---- close ----

    /** close() forgets its registrations but leaves its selector (and its fds) open. */
    public static final class LeaksOnClose extends SelectorPoller {
        public LeaksOnClose() throws IOException {
        }

        @Override
        public void close() {
            live = 0;
            LEAKED.add(selector);
        }
    }

    /** The first wakeup() opens a pipe (a wake-up channel of its own) that close() forgets to close. */
    public static final class LeaksItsWakeupPipe extends SelectorPoller {
        private Pipe wake;

        public LeaksItsWakeupPipe() throws IOException {
        }

        @Override
        public synchronized void wakeup() {
            if (wake == null) {
                try {
                    wake = Pipe.open();
                    LEAKED.add(wake.source());
                    LEAKED.add(wake.sink());
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
            super.wakeup();
        }
    }

    /** A poll without timeout starts a helper thread ("a timer") that close() never stops. */
    public static final class LeaksAThread extends SelectorPoller {
        private boolean started;

        public LeaksAThread() throws IOException {
        }

        @Override
        protected void select(long timeoutNanos) throws IOException {
            if (timeoutNanos < 0 && !started) {
                started = true;
                Thread.ofPlatform().daemon().name("tck-selector-timer").start(() -> {
                    try {
                        RELEASE.await(60, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
            }
            super.select(timeoutNanos);
        }
    }

    /** A second close() throws. */
    public static final class CloseNotIdempotent extends SelectorPoller {
        public CloseNotIdempotent() throws IOException {
        }

        @Override
        public void close() {
            if (!selector.isOpen()) {
                throw new IllegalStateException("already closed");
            }
            super.close();
        }
    }

    /** close() closes the selector but still counts the registrations it had ("cancels what is left"). */
    public static final class CloseKeepsItsRegistrations extends SelectorPoller {
        public CloseKeepsItsRegistrations() throws IOException {
        }

        @Override
        public void close() {
            int had = live;
            super.close();
            live = had;
        }
    }
}
