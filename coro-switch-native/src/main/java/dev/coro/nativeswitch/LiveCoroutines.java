package dev.coro.nativeswitch;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.function.Predicate;

/**
 * The coros of one backend that have not ended, for the watchdog's report: an intrusive doubly
 * linked list through {@link NativeCoroutine#prev}/{@link NativeCoroutine#next}, so tracking costs
 * a few stores at create and at end, and nothing per switch.
 *
 * <p>Invariants: only the scheduler thread links and unlinks (create and end happen there). New
 * coros go in at the head, so every {@code next} points to an older coro: a reader on another
 * thread (the watchdog, which looks while the scheduler thread is stuck) follows {@code next}
 * without locks and always terminates, even if it races with an unlink — it may then miss a few
 * coros, which a diagnostic can afford. Links are written with release stores and read with
 * acquire loads, so the reader sees fully constructed coros.
 */
final class LiveCoroutines {

    private static final VarHandle HEAD;
    private static final VarHandle NEXT;
    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            HEAD = lookup.findVarHandle(LiveCoroutines.class, "head", NativeCoroutine.class);
            NEXT = lookup.findVarHandle(NativeCoroutine.class, "next", NativeCoroutine.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private NativeCoroutine head;

    /** Scheduler thread. */
    void link(NativeCoroutine c) {
        NativeCoroutine h = head;
        c.next = h; // published by the release store of head below
        if (h != null) {
            h.prev = c;
        }
        HEAD.setRelease(this, c);
    }

    /** Scheduler thread; once per coro, when it ends. */
    void unlink(NativeCoroutine c) {
        NativeCoroutine p = c.prev;
        NativeCoroutine n = c.next;
        if (p == null) {
            HEAD.setRelease(this, n);
        } else {
            NEXT.setRelease(p, n);
        }
        if (n != null) {
            n.prev = p;
        }
        c.prev = null;
        NEXT.setRelease(c, (NativeCoroutine) null); // done coros must not keep older ones reachable
    }

    /**
     * Any thread: visits live coros newest first until {@code visitor} returns false. Weakly
     * consistent (see the class comment).
     */
    void forEach(Predicate<NativeCoroutine> visitor) {
        for (NativeCoroutine c = (NativeCoroutine) HEAD.getAcquire(this); c != null;
                c = (NativeCoroutine) NEXT.getAcquire(c)) {
            if (!visitor.test(c)) {
                return;
            }
        }
    }
}
