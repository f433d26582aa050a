package dev.coro.scheduler;

import java.util.Arrays;

/**
 * A 4-ary min-heap of {@link Timer}s ordered by (deadline, insertion sequence), so equal deadlines
 * come out in the order they went in (SPEC.md §3 rule 4). Each timer knows its index, which makes
 * {@link #remove} O(log n) — the common case, since most timeouts are defused before they fire.
 * Scheduler thread only.
 *
 * <p>Overview. The deadlines live in {@link #deadlines}, beside the timers at the same index, so a
 * sift compares longs in one array instead of loading each timer it passes (the sequence, the
 * tie-break, is read from the timers only on equal deadlines). With a heap too large for the cache, a
 * pop from the root reads, a level, the four children's deadlines (one or two lines) and the slot of
 * the one it moves up, where a binary heap read two slots and two timers a level over twice the
 * levels. A timer's deadline does not change while it is in the heap (a sleeper is re-armed only once
 * out of it), so the copy stays true. Moving a timer stores its new index into it, as
 * {@code ScheduledThreadPoolExecutor}'s queue does: a store, which does not wait for the line.
 */
final class TimerHeap {
    private static final int MIN_CAPACITY = 64;
    private Timer[] heap = new Timer[MIN_CAPACITY];
    private long[] deadlines = new long[MIN_CAPACITY];
    private int size;
    private long nextSeq;

    int size() {
        return size;
    }

    boolean isEmpty() {
        return size == 0;
    }

    Timer peek() {
        return size == 0 ? null : heap[0];
    }

    /** The next insertion sequence number, taken for a timer ordered with the heap's but kept outside it (a yield). */
    long nextSeq() {
        return nextSeq++;
    }

    void add(Timer t) {
        if (t.index >= 0) {
            throw new IllegalStateException("timer already in the heap: " + t);
        }
        if (size == heap.length) {
            resize(size * 2);
        }
        t.seq = nextSeq++;
        siftUp(size++, t);
    }

    Timer poll() {
        if (size == 0) {
            return null;
        }
        Timer top = heap[0];
        removeAt(0);
        return top;
    }

    /** Removes {@code t} if it is in the heap; returns whether it was. */
    boolean remove(Timer t) {
        int i = t.index;
        if (i < 0 || i >= size || heap[i] != t) {
            return false;
        }
        removeAt(i);
        return true;
    }

    private void removeAt(int i) {
        heap[i].index = -1;
        int last = --size;
        Timer moved = heap[last];
        heap[last] = null;
        if (i < last) {
            siftDown(i, moved);
            if (heap[i] == moved) {
                siftUp(i, moved);
            }
        }
        if (heap.length > MIN_CAPACITY && size < heap.length / 4) {
            resize(heap.length / 2);
        }
    }

    private void resize(int capacity) {
        heap = Arrays.copyOf(heap, capacity);
        deadlines = Arrays.copyOf(deadlines, capacity);
    }

    /** Whether {@code t}, due at {@code d}, comes before the timer at index {@code j}. */
    private boolean before(long d, Timer t, int j) {
        long dj = deadlines[j];
        return d < dj || d == dj && t.seq < heap[j].seq;
    }

    /** Whether the timer at index {@code a} comes before the one at {@code b}. */
    private boolean less(int a, int b) {
        long da = deadlines[a];
        long db = deadlines[b];
        return da < db || da == db && heap[a].seq < heap[b].seq;
    }

    private void place(int i, Timer t, long d) {
        heap[i] = t;
        deadlines[i] = d;
        t.index = i;
    }

    /** Places {@code t} at {@code i} or above it, moving down each ancestor it comes before. */
    private void siftUp(int i, Timer t) {
        long d = t.deadline;
        while (i > 0) {
            int parent = (i - 1) >>> 2;
            if (!before(d, t, parent)) {
                break;
            }
            place(i, heap[parent], deadlines[parent]);
            i = parent;
        }
        place(i, t, d);
    }

    /** Places {@code t} at {@code i} or below it, moving up the least child while that comes before {@code t}. */
    private void siftDown(int i, Timer t) {
        long d = t.deadline;
        int first;
        while ((first = 4 * i + 1) < size) {
            int least = first;
            for (int c = first + 1, end = Math.min(first + 4, size); c < end; c++) {
                if (less(c, least)) {
                    least = c;
                }
            }
            if (before(d, t, least)) {
                break;
            }
            place(i, heap[least], deadlines[least]);
            i = least;
        }
        place(i, t, d);
    }
}
