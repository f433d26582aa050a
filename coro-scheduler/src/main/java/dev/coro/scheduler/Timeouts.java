package dev.coro.scheduler;

import dev.coro.CoroExecutionException;
import dev.coro.CoroInterruptedException;
import dev.coro.CoroTimeoutException;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Supplier;

/**
 * One run's timers (SPEC.md rules 2, 4 and 5): sleeps, yields and the timebombs of
 * {@code withTimeout}, in one {@link TimerHeap} ordered by (deadline, insertion).
 *
 * <p>Invariants: a timer is in the heap only while the wait that made it is in progress; whoever
 * ends that wait (the timer phase by firing it, or the waiting frame on its way out) marks it
 * expired, and the frame removes it if it had not fired, so no timer outlives its wait. A timebomb
 * is the value of the interrupt it raises, and only the {@code withTimeout} frame holding that same
 * object turns the interrupt into a timeout. Scheduler thread only.
 *
 * <p>Yields (rule 3: a sleep until the iteration's clock reading) skip the heap: all those of one run
 * phase have that same deadline, due at the next timer phase whatever the clock says then, so a
 * list in call order holds them, and the timer phase merges it with the heap by (deadline,
 * insertion), in the order one heap would give. A yield costs O(1) however many timers wait, where
 * the heap would sift it to the root and back (a server's rule 9 yields among its 10,000 timeouts).
 * An entry is live while its timer is {@code yielding} with the sequence number it was listed with
 * (a coro's sleeper is re-armed for its next sleep); one that left early is skipped. The list's
 * arrays grow by doubling and shrink by half after a timer phase that took under a quarter of their
 * length, so a burst of yields does not keep its arrays for the rest of the run.
 */
final class Timeouts {
    private final EventLoop loop;
    private final CoroStates states;
    final TimerHeap heap = new TimerHeap();
    long fired;
    /**
     * Timers in the heap due after the loop's reading {@code loop.now}. None: a fresh reading could
     * fire nothing that this one does not (every timer left is due already), so the loop need not
     * read the clock for the next timer phase (see {@code EventLoop.endRunPhase}). Recounted by each
     * timer phase (whatever is left after it is due later, but for held timebombs) and kept by
     * {@link #arm}/{@link #disarm} in between, against the same {@code now}.
     */
    int dueLater;
    /** This run phase's yields in call order, with the sequence each was listed with; live ones counted. */
    private static final int MIN_YIELD_CAPACITY = 16;
    private Timer[] yields = new Timer[MIN_YIELD_CAPACITY];
    private long[] yieldSeqs = new long[MIN_YIELD_CAPACITY];
    private int yieldCount;
    private int liveYields;

    Timeouts(EventLoop loop) {
        this.loop = loop;
        this.states = loop.states;
    }

    /** The timer phase: acts on every timer due at {@code t}, in heap order. */
    void fire(long t) {
        Timer timer = heap.peek();
        if (yieldCount == 0 && (timer == null || timer.deadline > t)) {
            dueLater = heap.size();
            if (yields.length > MIN_YIELD_CAPACITY) {
                shrinkYields(); // a phase after a burst, with no yield at all
            }
            return;
        }
        List<Timer> held = null;
        int y = 0;
        while (true) {
            Timer yielder = null;
            while (y < yieldCount) {
                if (listed(y)) {
                    yielder = yields[y];
                    break;
                }
                yields[y++] = null; // left its yield early
            }
            timer = heap.peek();
            boolean heapDue = timer != null && timer.deadline <= t;
            if (yielder != null && (!heapDue || yielder.deadline < timer.deadline
                    || yielder.deadline == timer.deadline && yielder.seq < timer.seq)) {
                yields[y++] = null;
                yielder.yielding = false;
                liveYields--;
                timer = yielder;
            } else if (heapDue) {
                heap.poll();
            } else {
                break;
            }
            fired++;
            CoroImpl<?> c = timer.coro;
            if (!timer.timebomb) {
                timer.expired = true;
                states.wake(c, null); // (unless it is already scheduled: an interrupt got there first)
            } else if (c.state == CoroImpl.DONE) {
                timer.expired = true;
            } else if (c.scheduled && !timer.held) {
                // Rule 2: its coro is already due to run; hold the timebomb and retry next iteration, once.
                timer.held = true;
                if (held == null) {
                    held = new ArrayList<>(4);
                }
                held.add(timer);
            } else {
                // Not scheduled, or scheduled again after being held once: deliverInterrupt unschedules
                // it, and the wait it was woken from hands back what it was given (rule 2).
                timer.expired = true;
                states.deliverInterrupt(c, new CoroInterruptedException("timed out: " + timer, timer));
            }
        }
        if (yields.length > MIN_YIELD_CAPACITY && yieldCount < yields.length / 4) {
            shrinkYields();
        }
        yieldCount = 0; // every yield was due: all taken
        dueLater = heap.size();
        if (held != null) {
            for (Timer h : held) {
                heap.add(h); // due already: not counted in dueLater
            }
        }
    }

    /** Halves the yield list's arrays, at the end of a timer phase (every entry taken and nulled: fresh arrays lose nothing). */
    private void shrinkYields() {
        yields = new Timer[yields.length / 2];
        yieldSeqs = new long[yields.length];
    }

    private void arm(Timer t) {
        heap.add(t);
        if (t.deadline > loop.now) {
            dueLater++;
        }
    }

    /** Takes {@code t} out of the heap if it is there (its wait ended before it fired). */
    private void disarm(Timer t) {
        if (heap.remove(t) && t.deadline > loop.now) {
            dueLater--;
        }
    }

    /** The earliest timer, a yield included; null if there is none. */
    Timer next() {
        Timer h = heap.peek();
        if (liveYields == 0) {
            return h;
        }
        Timer y = null;
        for (int i = 0; i < yieldCount && y == null; i++) {
            if (listed(i)) {
                y = yields[i];
            }
        }
        return h != null && h.deadline <= y.deadline ? h : y;
    }

    /** Whether entry {@code i} of the yield list is live: its timer still yielding, for the sequence it was listed with. */
    private boolean listed(int i) {
        Timer t = yields[i];
        return t != null && t.yielding && t.seq == yieldSeqs[i];
    }

    /** {@code me}'s sleeper, made at its first sleep and re-armed for each later one, due at {@code deadline}. */
    private static Timer sleeper(CoroImpl<?> me, long deadline) {
        return me.sleeper == null ? (me.sleeper = new Timer(me, deadline, false)) : me.sleeper.rearm(deadline);
    }

    /** For tests: the length of the yield list's arrays. */
    int yieldCapacity() {
        return yields.length;
    }

    /** Timers waiting, yields included. */
    int size() {
        return heap.size() + liveYields;
    }

    boolean isEmpty() {
        return heap.isEmpty() && liveYields == 0;
    }

    /** Rule 3: suspends {@code me} until the next timer phase (a sleep until {@code loop.now}), in the yield list. */
    void yieldSlice(CoroImpl<?> me) {
        Timer t = sleeper(me, loop.now);
        t.seq = heap.nextSeq();
        t.yielding = true;
        liveYields++;
        if (yieldCount == yields.length) {
            yields = Arrays.copyOf(yields, yieldCount * 2);
            yieldSeqs = Arrays.copyOf(yieldSeqs, yieldCount * 2);
        }
        yields[yieldCount] = t;
        yieldSeqs[yieldCount++] = t.seq;
        try {
            states.suspend(me, t);
        } finally {
            if (!t.expired) {
                if (t.yielding) { // left before its timer phase (an interrupt): its entry is skipped
                    t.yielding = false;
                    liveYields--;
                }
                t.expired = true;
            }
        }
    }

    /** Suspends {@code me} until {@code deadline} (or an earlier wake); its reused sleeper allocates nothing. */
    void sleepUntil(CoroImpl<?> me, long deadline) {
        Timer t = sleeper(me, deadline);
        arm(t);
        try {
            states.suspend(me, t);
        } finally {
            if (!t.expired) {
                disarm(t);
                t.expired = true;
            }
        }
    }

    /** Rule 5: a timebomb at {@code deadline}; only the frame that owns it turns its interrupt into a timeout. */
    <T> T withTimeout(CoroImpl<?> me, long deadline, Callable<T> body, Supplier<String> message) {
        Timer bomb = new Timer(me, deadline, true);
        arm(bomb);
        try {
            return body.call();
        } catch (CoroInterruptedException e) {
            if (e.value() == bomb) {
                throw new CoroTimeoutException(message.get(), e);
            }
            throw e;
        } catch (InterruptedException e) {
            // loom: an interrupt of ours (this bomb, an outer one, interrupt(v)) surfaced through a JDK
            // call: raise it as what it is, so that only the owning frame turns it into a timeout.
            CoroInterruptedException ours = states.takePendingInterrupt(me);
            if (ours == null) {
                throw new CoroExecutionException("interrupted: " + e, e);
            }
            ours.addSuppressed(e);
            if (ours.value() == bomb) {
                throw new CoroTimeoutException(message.get(), ours);
            }
            throw ours;
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Exception e) {
            throw new CoroExecutionException(e.toString(), e);
        } finally {
            if (!bomb.expired) {
                disarm(bomb);
                bomb.expired = true;
            }
            if (me.pendingInterrupt != null && me.pendingInterrupt.value() == bomb) {
                states.takePendingInterrupt(me); // its frame is gone: the bomb must not go off later
            }
        }
    }
}
