package dev.coro.scheduler;

import dev.coro.CoroShutdownException;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The run's live coros (an intrusive doubly linked list through {@code CoroImpl.prevLive/nextLive})
 * and what happens when one ends: its failure reported, its future completed, its joiners woken.
 *
 * <p>Invariants: a coro is in the list from {@link #add} (at spawn) until {@link #finished} (called
 * exactly once, from its body's {@code finally} or for one that never ran), and {@link #count} is the
 * list's length. The list is in descending id order (ids grow with each spawn, {@link #add} puts the
 * newest first and removal keeps the order), which {@link #find} relies on to stop early. A future whose coro ended inside a coro (its own body, or one that shut it down) is
 * completed only once the loop is back on its own stack ({@link #completeFutures}): a callback that
 * waits would otherwise suspend the wrong coro. Scheduler thread only, except {@link #finished} of a
 * coro abandoned at the end of the run, which touches no list.
 */
final class LiveCoros {
    private final EventLoop loop;
    private CoroImpl<?> head;
    int count;
    /** Coros that finished inside a coro, whose futures are still to be completed. */
    private final ArrayList<CoroImpl<?>> doneFutures = new ArrayList<>();

    LiveCoros(EventLoop loop) {
        this.loop = loop;
    }

    void add(CoroImpl<?> c) {
        c.nextLive = head;
        if (head != null) {
            head.prevLive = c;
        }
        head = c;
        count++;
    }

    /** A copy of the list, newest first. */
    List<CoroImpl<?>> snapshot() {
        List<CoroImpl<?>> all = new ArrayList<>(count);
        for (CoroImpl<?> c = head; c != null; c = c.nextLive) {
            all.add(c);
        }
        return all;
    }

    /** The live coro with id {@code id}, or null (never spawned in this run, or finished). O(live coros). */
    CoroImpl<?> find(long id) {
        for (CoroImpl<?> c = head; c != null && c.id() >= id; c = c.nextLive) {
            if (c.id() == id) {
                return c;
            }
        }
        return null;
    }

    /**
     * Called once per coro, as it ends. Never throws: it runs in the body's {@code finally}, and an
     * error escaping it would end the whole run.
     */
    void finished(CoroImpl<?> c, boolean runEnded) {
        c.state = CoroImpl.DONE;
        c.locals = null;
        JfrEvents.coroEnded(c);
        if (runEnded) {
            // An abandoned coro ending on another carrier after the run: the loop's structures are
            // no longer ours to touch; its future still completes (thread-safe) and its failure is reported.
            reportFailure(c);
            if (c.future != null) {
                completeFuture(c);
            }
            return;
        }
        if (c.prevLive != null) {
            c.prevLive.nextLive = c.nextLive;
        } else {
            head = c.nextLive;
        }
        if (c.nextLive != null) {
            c.nextLive.prevLive = c.prevLive;
        }
        c.prevLive = c.nextLive = null;
        count--;
        reportFailure(c);
        if (c.future != null) {
            if (loop.current != null) {
                doneFutures.add(c);
            } else {
                completeFuture(c);
            }
        }
        List<CoroImpl<?>> joiners = c.takeJoiners();
        if (joiners != null) {
            for (CoroImpl<?> j : joiners) {
                loop.states.wake(j, null);
            }
        }
    }

    boolean hasDoneFutures() {
        return !doneFutures.isEmpty();
    }

    /** Completes the futures of coros that finished inside a coro; on the loop, outside any coro. */
    void completeFutures() {
        for (int i = 0; i < doneFutures.size(); i++) {
            completeFuture(doneFutures.get(i)); // a callback's failure completes its own stage, never ours
        }
        doneFutures.clear();
    }

    private void reportFailure(CoroImpl<?> c) {
        Throwable failure = c.failure();
        if (failure != null && c.reportUncaught && !(failure instanceof CoroShutdownException)) {
            loop.owner.reportUncaught(c, failure);
        }
    }

    private static void completeFuture(CoroImpl<?> c) {
        Throwable failure = c.failure();
        if (failure != null) {
            c.future.completeExceptionally(failure);
        } else {
            @SuppressWarnings("unchecked")
            CompletableFuture<Object> f = (CompletableFuture<Object>) c.future;
            f.complete(c.result());
        }
    }
}
