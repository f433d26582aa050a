package dev.coro.tck.poll;

import java.io.IOException;

/** Deliberately broken pollers, each {@link SelectorPoller} breaking one rule of DESIGN.md §4. */
public final class BrokenPollers {
    private BrokenPollers() {
    }

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

    /** wakeup() does nothing, so a poll without timeout stays blocked. */
    public static final class DeafToWakeup extends SelectorPoller {
        public DeafToWakeup() throws IOException {
        }

        @Override
        public void wakeup() {
        }
    }

    /** close() forgets its registrations but leaves its selector (and its fds) open. */
    public static final class LeaksOnClose extends SelectorPoller {
        /** What the broken closes left open; the teeth test closes them for real afterwards. */
        public static final java.util.List<java.nio.channels.Selector> LEAKED = new java.util.concurrent.CopyOnWriteArrayList<>();

        public LeaksOnClose() throws IOException {
        }

        @Override
        public void close() {
            live = 0;
            LEAKED.add(selector);
        }
    }
}
