package dev.coro.scheduler;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Staging/pending bookkeeping, including lazy unscheduling in either list. */
class RunQueueTest {

    private static CoroImpl<?> coro(long id) {
        return new CoroImpl<>(null, id, "c" + id, () -> null, false, null);
    }

    private static List<Long> drainBatch(RunQueue q) {
        List<Long> ids = new ArrayList<>();
        CoroImpl<?> c;
        while ((c = q.next()) != null) {
            ids.add(c.id());
        }
        return ids;
    }

    @Test
    void batchesRunInScheduleOrderAndLateArrivalsWaitForTheNextBatch() {
        RunQueue q = new RunQueue();
        CoroImpl<?> a = coro(1), b = coro(2), c = coro(3);
        q.add(a);
        q.add(b);
        assertTrue(q.swap());
        assertEquals(1L, q.next().id());
        q.add(c); // scheduled during the batch: goes to pending
        assertEquals(2L, q.next().id());
        assertNull(q.next());
        assertTrue(q.swap());
        assertEquals(List.of(3L), drainBatch(q));
        assertFalse(q.swap());
        assertEquals(0, q.size());
    }

    @Test
    void unscheduledEntriesAreSkippedInStagingAndPendingAndCountsStayExact() {
        RunQueue q = new RunQueue();
        CoroImpl<?> a = coro(1), b = coro(2), c = coro(3), d = coro(4);
        q.add(a);
        q.add(b);
        q.swap();
        q.add(c);
        q.add(d);
        assertEquals(4, q.size());
        q.remove(b); // in staging
        q.remove(c); // in pending
        assertEquals(2, q.size());
        assertEquals(List.of(1L), drainBatch(q));
        q.add(b); // rescheduled: now behind d
        assertTrue(q.swap());
        assertEquals(List.of(4L, 2L), drainBatch(q));
        q.remove(a); // not scheduled: no effect
        assertEquals(0, q.size());
        q.add(c);
        q.remove(c);
        assertFalse(q.swap(), "pending holds only a stale entry");
    }
}
