package dev.coro.scheduler;

import dev.coro.CoroExecutionException;
import dev.coro.CoroInterruptedException;
import dev.coro.CoroTimeoutException;

import java.util.ArrayList;
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
 */
final class Timeouts {
    private final EventLoop loop;
    final TimerHeap heap = new TimerHeap();
    long fired;

    Timeouts(EventLoop loop) {
        this.loop = loop;
    }

    /** The timer phase: acts on every timer due at {@code t}, in heap order. */
    void fire(long t) {
        Timer timer = heap.peek();
        if (timer == null || timer.deadline > t) {
            return;
        }
        List<Timer> held = null;
        while ((timer = heap.peek()) != null && timer.deadline <= t) {
            heap.poll();
            fired++;
            CoroImpl<?> c = timer.coro;
            if (!timer.timebomb) {
                timer.expired = true;
                if (!c.scheduled && c.state == CoroImpl.SUSPENDED) {
                    loop.schedule(c, null);
                }
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
                loop.deliverInterrupt(c, new CoroInterruptedException("timed out: " + timer, timer));
            }
        }
        if (held != null) {
            for (Timer h : held) {
                heap.add(h);
            }
        }
    }

    /** Suspends {@code me} until {@code deadline} (or an earlier wake); its reused sleeper allocates nothing. */
    void sleepUntil(CoroImpl<?> me, long deadline) {
        Timer t = me.sleeper == null ? (me.sleeper = new Timer(me, deadline, false)) : me.sleeper.rearm(deadline);
        heap.add(t);
        try {
            loop.suspend(me, t);
        } finally {
            if (!t.expired) {
                heap.remove(t);
                t.expired = true;
            }
        }
    }

    /** Rule 5: a timebomb at {@code deadline}; only the frame that owns it turns its interrupt into a timeout. */
    <T> T withTimeout(CoroImpl<?> me, long deadline, Callable<T> body, Supplier<String> message) {
        Timer bomb = new Timer(me, deadline, true);
        heap.add(bomb);
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
            CoroInterruptedException ours = loop.takePendingInterrupt(me);
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
                heap.remove(bomb);
                bomb.expired = true;
            }
            if (me.pendingInterrupt != null && me.pendingInterrupt.value() == bomb) {
                loop.takePendingInterrupt(me); // its frame is gone: the bomb must not go off later
            }
        }
    }
}
