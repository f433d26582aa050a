package dev.coro.loomswitch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.fail;

import dev.coro.spi.Coroutine;
import dev.coro.spi.ResumeOutcome;
import dev.coro.spi.SwitchHost;
import java.lang.reflect.Method;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A test "scheduler": the thread that builds it plays the scheduler thread; wake-ups go to a
 * queue, which the test drains with bounded polls.
 */
final class Harness implements SwitchHost, AutoCloseable {

    static final long WAIT_SECONDS = 10;

    /** One wake-up and the thread that sent it. */
    record Wakeup(Coroutine coroutine, Thread by) {
    }

    private static final Method CURRENT_CARRIER_THREAD;

    static {
        try {
            CURRENT_CARRIER_THREAD = Thread.class.getDeclaredMethod("currentCarrierThread");
            CURRENT_CARRIER_THREAD.setAccessible(true);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final Thread thread = Thread.currentThread();
    final LinkedBlockingQueue<Wakeup> wakeups = new LinkedBlockingQueue<>();
    /** Wake-ups taken from the queue while waiting for another coroutine's. */
    private final Deque<Wakeup> parked = new ArrayDeque<>();
    final LoomSwitchBackend backend;

    Harness() {
        backend = (LoomSwitchBackend) new LoomSwitchProvider().open(this);
    }

    @Override
    public Thread schedulerThread() {
        return thread;
    }

    @Override
    public void wakeup(Coroutine coroutine) {
        wakeups.offer(new Wakeup(coroutine, Thread.currentThread()));
    }

    Coroutine spawn(String name, Runnable body) {
        return backend.create(name, body, null);
    }

    ResumeOutcome resume(Coroutine c) {
        return backend.resume(c);
    }

    void suspend() {
        backend.suspend();
    }

    /** The next wake-up of any coroutine, failing after {@link #WAIT_SECONDS}. */
    Wakeup awaitAnyWakeup() {
        Wakeup w = parked.pollFirst();
        if (w != null) {
            return w;
        }
        try {
            w = wakeups.poll(WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for a wake-up", e);
        }
        if (w == null) {
            fail("no wake-up within " + WAIT_SECONDS + " s");
        }
        return w;
    }

    /** Waits for a wake-up of {@code c}; others are kept for later. */
    Wakeup awaitWakeupOf(Coroutine c) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        for (var it = parked.iterator(); it.hasNext(); ) {
            Wakeup w = it.next();
            if (w.coroutine() == c) {
                it.remove();
                return w;
            }
        }
        while (true) {
            long left = deadline - System.nanoTime();
            Wakeup w = null;
            try {
                w = left > 0 ? wakeups.poll(left, TimeUnit.NANOSECONDS) : null;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (w == null) {
                fail("no wake-up of " + c.name() + " within " + WAIT_SECONDS + " s");
            }
            if (w.coroutine() == c) {
                return w;
            }
            parked.addLast(w);
        }
    }

    /** Resumes {@code c}, and again after each wake-up while it is BLOCKED, until it suspends or ends. */
    ResumeOutcome runUntilNotBlocked(Coroutine c) {
        ResumeOutcome o = resume(c);
        while (o == ResumeOutcome.BLOCKED) {
            awaitWakeupOf(c);
            o = resume(c);
        }
        return o;
    }

    /** Resumes {@code c} until it ends, asserting it never suspends on the way. */
    void runToDone(Coroutine c) {
        assertEquals(ResumeOutcome.DONE, runUntilNotBlocked(c), c.name());
    }

    /** The carrier of the calling virtual thread (its OS thread). */
    static Thread currentCarrier() {
        try {
            Thread t = (Thread) CURRENT_CARRIER_THREAD.invoke(null);
            assertNotNull(t);
            return t;
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    static Thread threadOf(Coroutine c) {
        return ((LoomCoroutine) c).thread;
    }

    @Override
    public void close() {
        backend.close();
    }
}
