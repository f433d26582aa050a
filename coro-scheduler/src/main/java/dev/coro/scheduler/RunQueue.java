package dev.coro.scheduler;

import java.util.Arrays;

/**
 * Shrapnel's two lists: {@code pending} collects what is scheduled while {@code staging} — the
 * current batch — runs in order. {@link #swap()} starts the next batch (SPEC.md §3 rule 2).
 *
 * <p>Unscheduling is lazy: each scheduling gets a ticket stored in the coro; an entry whose ticket
 * no longer matches its coro's is skipped. Tickets grow monotonically, so a ticket at or above
 * {@code pendingFrom} (the first ticket issued since the last swap) is in pending, one below it in
 * staging — which is how the live counts of both lists stay exact. Tickets are ints that wrap
 * around, compared by their difference: a live ticket is never more than two batches old, far
 * from 2^31 schedulings. Scheduler thread only.
 */
final class RunQueue {
    private CoroImpl<?>[] pending = new CoroImpl<?>[64];
    private int[] pendingTickets = new int[64];
    private int pendingSize;
    private int pendingLive;

    private CoroImpl<?>[] staging = new CoroImpl<?>[64];
    private int[] stagingTickets = new int[64];
    private int stagingSize;
    private int stagingPos;
    private int stagingLive;

    private int nextTicket = 1;
    private int pendingFrom = 1;

    /** Appends {@code c} to pending. The caller has checked that it may be scheduled. */
    void add(CoroImpl<?> c) {
        if (pendingSize == pending.length) {
            pending = Arrays.copyOf(pending, pendingSize * 2);
            pendingTickets = Arrays.copyOf(pendingTickets, pendingSize * 2);
        }
        int ticket = nextTicket++;
        c.ticket = ticket;
        c.scheduled = true;
        pending[pendingSize] = c;
        pendingTickets[pendingSize++] = ticket;
        pendingLive++;
    }

    /** Unschedules {@code c}, wherever it waits. */
    void remove(CoroImpl<?> c) {
        if (!c.scheduled) {
            return;
        }
        if (c.ticket - pendingFrom >= 0) {
            pendingLive--;
        } else {
            stagingLive--;
        }
        c.scheduled = false;
        c.ticket = 0;
    }

    boolean hasPending() {
        return pendingLive > 0;
    }

    /** Coros scheduled and not yet resumed, in both lists. */
    int size() {
        return pendingLive + stagingLive;
    }

    /** Makes pending the new staging batch; false if pending holds nothing live. */
    boolean swap() {
        if (pendingLive == 0) {
            if (pendingSize > 0) {
                Arrays.fill(pending, 0, pendingSize, null); // only stale entries: drop them
                pendingSize = 0;
            }
            return false;
        }
        if (stagingLive != 0) {
            throw new IllegalStateException("swap with " + stagingLive + " live entries left in the batch");
        }
        if (stagingPos < stagingSize) {
            Arrays.fill(staging, stagingPos, stagingSize, null); // stale entries a cut-short batch left
        }
        CoroImpl<?>[] a = staging;
        int[] t = stagingTickets;
        staging = pending;
        stagingTickets = pendingTickets;
        stagingSize = pendingSize;
        stagingLive = pendingLive;
        stagingPos = 0;
        pending = a;
        pendingTickets = t;
        pendingSize = 0;
        pendingLive = 0;
        pendingFrom = nextTicket;
        return true;
    }

    /** The next live entry of the current batch, now unscheduled; null when the batch is done. */
    CoroImpl<?> next() {
        while (stagingPos < stagingSize) {
            int i = stagingPos++;
            CoroImpl<?> c = staging[i];
            staging[i] = null;
            if (c.scheduled && c.ticket == stagingTickets[i]) {
                c.scheduled = false;
                c.ticket = 0;
                stagingLive--;
                return c;
            }
        }
        stagingSize = 0;
        stagingPos = 0;
        return null;
    }
}
