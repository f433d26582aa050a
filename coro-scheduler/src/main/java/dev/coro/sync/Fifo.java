package dev.coro.sync;

import dev.coro.Coro;
import dev.coro.scheduler.CoroContext;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A FIFO queue between coros, unbounded or bounded: {@link #push} waits while a bounded fifo is
 * full, {@link #pop} and {@link #popAll} wait while it is empty. Other OS threads feed it with
 * {@link #pushFromAnyThread}. Null items are refused. [shrapnel: {@code fifo}]
 *
 * <p>Hand-off, so that every waiter is served in its turn and nobody barges: a push with poppers
 * waiting hands its item straight to the first one; a pop (or anything else that frees room) admits
 * the first waiting pusher, which adds its item when it runs (its slot is reserved meanwhile).
 * Interrupted after the hand-off but before it ran, a popper puts its item(s) back at the front for
 * the next popper, and a pusher gives its slot back (its item was never added): no item is lost or
 * duplicated.
 *
 * <p>Invariants: {@code items.size() + handed + reserved <= capacity}; poppers wait only while
 * {@code items} is empty; pushers wait only while there is no free slot (or earlier pushers wait).
 * The cross-thread inbox {@link #incoming} is the only state other threads touch.
 */
public final class Fifo<T> extends Primitive {
    private static final int POP = 0, POP_ALL = 1;
    private final int capacity;
    private final ArrayDeque<T> items = new ArrayDeque<>();
    private final WaitQueue poppers = new WaitQueue(this, "pop");
    /** Coro pushers (value: the item) and cross-thread pushes that found no room (coro null, value: CrossPush). */
    private final WaitQueue pushers = new WaitQueue(this, "push");
    /** Items handed to poppers that have not run yet: they still occupy their slots. */
    private int handed;
    /** Slots reserved for admitted pushers that have not run yet. */
    private int reserved;

    private final ConcurrentLinkedQueue<CrossPush<T>> incoming = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean drainQueued = new AtomicBoolean();

    private record CrossPush<T>(T item, CompletableFuture<Void> entered) {
    }

    /** An unbounded fifo; no scheduler is needed yet. */
    public Fifo() {
        this.capacity = Integer.MAX_VALUE;
    }

    /** A fifo that holds at most {@code capacity} items (at least 1). */
    public Fifo(int capacity) {
        this.capacity = checkCount(capacity, 1, "fifo capacity");
    }

    // ---------------------------------------------------------------- push

    /** Adds {@code item} at the tail, waiting (FIFO) while the fifo is full. */
    public void push(T item) {
        Objects.requireNonNull(item, "fifo item must not be null");
        Coro<?> me = caller("push");
        drainIncoming();
        if (!tryAdd(item)) {
            awaitSlot(me, item);
        }
    }

    /** {@link #push}, giving up with {@code CoroTimeoutException} after {@code timeout} (the item is then not added). */
    public void push(T item, Duration timeout) {
        Objects.requireNonNull(item, "fifo item must not be null");
        checkTimeout(timeout);
        Coro<?> me = caller("push");
        drainIncoming();
        if (!tryAdd(item)) {
            timed(timeout, "push", () -> {
                awaitSlot(me, item);
                return null;
            });
        }
    }

    /** Adds {@code item} if that needs no wait; true if added. */
    public boolean offer(T item) {
        Objects.requireNonNull(item, "fifo item must not be null");
        onLoop("offer");
        drainIncoming();
        return tryAdd(item);
    }

    private boolean tryAdd(T item) {
        if (pushers.isEmpty() && reserved == 0 && hasRoom()) {
            add(item);
            return true;
        }
        return false;
    }

    private void awaitSlot(Coro<?> me, T item) {
        pushers.await(me, pushers.add(me, 0, item), this);
        reserved--;
        add(item);
    }

    private boolean hasRoom() {
        return items.size() + handed + reserved < capacity;
    }

    /** Appends {@code item} and hands what it can to waiting poppers. */
    private void add(T item) {
        items.addLast(item);
        settle();
    }

    /**
     * Thread-safe, never blocks: adds {@code item} from any thread (a worker handing a result to the
     * coros). The item enters the fifo on the scheduler thread, in the order of these calls; if a
     * bounded fifo is full it waits for a slot in line with coro pushers. The future completes (on the
     * scheduler thread) once the item is in — a worker may {@code join()} it for back-pressure, but
     * never on the scheduler thread itself. Items pushed before any coro used the fifo enter at its
     * first use.
     */
    public CompletableFuture<Void> pushFromAnyThread(T item) {
        Objects.requireNonNull(item, "fifo item must not be null");
        CompletableFuture<Void> entered = new CompletableFuture<>();
        incoming.add(new CrossPush<>(item, entered));
        // Dekker with caller(): either the loop is visible here, or the binding coro's drain sees the item.
        Object l = loop;
        if (l != null && drainQueued.compareAndSet(false, true)) {
            CoroContext.runOnLoop(l, this::drainTask);
        }
        return entered;
    }

    private void drainTask() {
        drainQueued.set(false); // before draining: a push after this schedules another task
        if (CoroContext.currentLoopOrNull() == loop) {
            drainIncoming();
        }
    }

    /** Moves cross-thread pushes in, in arrival order: at once if there is room, else in the pushers' line. */
    private void drainIncoming() {
        CrossPush<T> p;
        while ((p = incoming.poll()) != null) {
            if (tryAdd(p.item())) {
                p.entered().complete(null);
            } else {
                pushers.add(null, 0, p);
            }
        }
    }

    // ---------------------------------------------------------------- pop

    /** Removes and returns the head item, waiting (FIFO) while the fifo is empty. */
    public T pop() {
        Coro<?> me = caller("pop");
        drainIncoming();
        T x = items.pollFirst();
        if (x != null) {
            settle();
            return x;
        }
        return awaitItem(me);
    }

    /** {@link #pop()}, giving up with {@code CoroTimeoutException} after {@code timeout}. */
    public T pop(Duration timeout) {
        checkTimeout(timeout);
        Coro<?> me = caller("pop");
        drainIncoming();
        T x = items.pollFirst();
        if (x != null) {
            settle();
            return x;
        }
        return timed(timeout, "pop", () -> awaitItem(me));
    }

    /** Removes and returns the head item if there is one, else null; never waits. */
    public T poll() {
        onLoop("poll");
        drainIncoming();
        T x = items.pollFirst();
        if (x != null) {
            settle();
        }
        return x;
    }

    /** Removes and returns every item (at least one), waiting while the fifo is empty. */
    public List<T> popAll() {
        Coro<?> me = caller("popAll");
        drainIncoming();
        if (!items.isEmpty()) {
            return takeAll();
        }
        return awaitAll(me);
    }

    /** {@link #popAll()}, giving up with {@code CoroTimeoutException} after {@code timeout}. */
    public List<T> popAll(Duration timeout) {
        checkTimeout(timeout);
        Coro<?> me = caller("popAll");
        drainIncoming();
        if (!items.isEmpty()) {
            return takeAll();
        }
        return timed(timeout, "popAll", () -> awaitAll(me));
    }

    private List<T> takeAll() {
        List<T> all = new ArrayList<>(items);
        items.clear();
        settle();
        return all;
    }

    @SuppressWarnings("unchecked")
    private T awaitItem(Coro<?> me) {
        T x = (T) poppers.await(me, poppers.add(me, POP, null), this);
        handed--;
        settle();
        return x;
    }

    @SuppressWarnings("unchecked")
    private List<T> awaitAll(Coro<?> me) {
        List<T> all = (List<T>) poppers.await(me, poppers.add(me, POP_ALL, null), this);
        handed -= all.size();
        settle();
        return all;
    }

    // ---------------------------------------------------------------- hand-off

    /** Hands items to waiting poppers, then admits waiting pushers while there is room. */
    private void settle() {
        while (true) {
            WaitQueue.Waiter w;
            while (!items.isEmpty() && (w = poppers.peek()) != null) {
                if (w.amount == POP) {
                    T x = items.pollFirst();
                    if (poppers.grant(w, x)) {
                        handed++;
                    } else {
                        items.addFirst(x);
                    }
                } else {
                    List<T> all = new ArrayList<>(items);
                    items.clear();
                    if (poppers.grant(w, all)) {
                        handed += all.size();
                    } else {
                        putBack(all);
                    }
                }
            }
            w = pushers.peek();
            if (w == null || !hasRoom()) {
                return;
            }
            if (w.coro == null) {
                if (reserved > 0) {
                    return; // coro pushers admitted earlier add their items first
                }
                @SuppressWarnings("unchecked")
                CrossPush<T> p = (CrossPush<T>) w.value;
                pushers.grant(w, null);
                items.addLast(p.item());
                p.entered().complete(null);
            } else if (pushers.grant(w, null)) {
                reserved++;
            }
        }
    }

    private void putBack(List<T> xs) {
        for (int i = xs.size() - 1; i >= 0; i--) {
            items.addFirst(xs.get(i));
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    void revoke(WaitQueue q, WaitQueue.Waiter w) {
        if (q == pushers) {
            reserved--; // admitted but interrupted before it added its item: the slot goes to the next
        } else if (w.amount == POP) {
            handed--;
            items.addFirst((T) w.value);
        } else {
            List<T> all = (List<T>) w.value;
            handed -= all.size();
            putBack(all);
        }
        settle();
    }

    // ---------------------------------------------------------------- state

    /** Items in the fifo now (not counting cross-thread pushes not yet taken in). */
    public int size() {
        return items.size();
    }

    public boolean isEmpty() {
        return items.isEmpty();
    }

    /** The most items it holds; {@code Integer.MAX_VALUE} when unbounded. */
    public int capacity() {
        return capacity;
    }

    /** Coros waiting to pop. */
    public int waitingPoppers() {
        return poppers.size();
    }

    /** Coros (and cross-thread pushes) waiting for a slot. */
    public int waitingPushers() {
        return pushers.size();
    }

    @Override
    public String toString() {
        return "Fifo[" + items.size() + (capacity == Integer.MAX_VALUE ? "" : "/" + capacity) + " items, "
                + poppers.size() + " popper(s), " + pushers.size() + " pusher(s) waiting]";
    }
}
