package dev.coro.scheduler;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The heap against a sorted-list model: (deadline, insertion) order, removal, ties. */
class TimerHeapTest {

    @Test
    void popsInDeadlineThenInsertionOrderUnderRandomAddsAndRemoves() {
        Random rnd = new Random(42);
        for (int round = 0; round < 200; round++) {
            TimerHeap heap = new TimerHeap();
            List<Timer> model = new ArrayList<>();
            for (int op = 0; op < 300; op++) {
                int kind = rnd.nextInt(10);
                if (kind < 6 || model.isEmpty()) {
                    Timer t = new Timer(null, rnd.nextInt(20), rnd.nextBoolean());
                    heap.add(t);
                    model.add(t);
                } else if (kind < 8) {
                    Timer t = model.remove(rnd.nextInt(model.size()));
                    assertSame(true, heap.remove(t));
                    assertFalse(heap.remove(t), "a removed timer is gone");
                } else {
                    model.sort(Comparator.comparingLong((Timer t) -> t.deadline).thenComparingLong(t -> t.seq));
                    assertSame(model.remove(0), heap.poll());
                }
                assertEquals(model.size(), heap.size());
            }
            model.sort(Comparator.comparingLong((Timer t) -> t.deadline).thenComparingLong(t -> t.seq));
            for (Timer t : model) {
                assertSame(t, heap.poll());
            }
            assertNull(heap.poll());
        }
    }

    @Test
    void aDeepHeapKeepsTheOrderUnderAddsPollsAndRemoves() {
        // Thousands of entries: several levels of the 4-ary heap, its growth and its shrinking.
        Random rnd = new Random(7);
        TimerHeap heap = new TimerHeap();
        java.util.TreeSet<Timer> model = new java.util.TreeSet<>(
                Comparator.comparingLong((Timer t) -> t.deadline).thenComparingLong(t -> t.seq));
        List<Timer> in = new ArrayList<>();
        for (int op = 0; op < 60_000; op++) {
            int kind = rnd.nextInt(10);
            boolean growing = op < 30_000;
            if (kind < (growing ? 7 : 3) || model.isEmpty()) {
                Timer t = new Timer(null, rnd.nextInt(5_000), false);
                heap.add(t);
                model.add(t);
                in.add(t);
            } else if (kind < 5) {
                Timer t = in.remove(rnd.nextInt(in.size()));
                assertEquals(model.remove(t), heap.remove(t), "removal of " + t);
            } else {
                Timer t = heap.poll();
                assertSame(model.pollFirst(), t, "poll at op " + op);
                in.remove(t);
            }
            assertEquals(model.size(), heap.size());
        }
        for (Timer t = model.pollFirst(); t != null; t = model.pollFirst()) {
            assertSame(t, heap.poll());
        }
        assertNull(heap.poll());
    }

    @Test
    void equalDeadlinesComeOutInInsertionOrder() {
        TimerHeap heap = new TimerHeap();
        List<Timer> in = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            Timer t = new Timer(null, 7, i % 2 == 0);
            in.add(t);
            heap.add(t);
        }
        for (Timer t : in) {
            assertSame(t, heap.poll());
        }
    }

    @Test
    void addingATimerTwiceIsRefused() {
        TimerHeap heap = new TimerHeap();
        Timer t = new Timer(null, 1, false);
        heap.add(t);
        assertThrows(IllegalStateException.class, () -> heap.add(t));
    }
}
