package dev.coro.scheduler;

import java.util.Arrays;

/**
 * A binary min-heap of {@link Timer}s ordered by (deadline, insertion sequence), so equal deadlines
 * come out in the order they went in (SPEC.md §3 rule 4). Each timer knows its index, which makes
 * {@link #remove} O(log n) — the common case, since most timeouts are defused before they fire.
 * Scheduler thread only.
 */
final class TimerHeap {
    private Timer[] heap = new Timer[64];
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
            heap = Arrays.copyOf(heap, size * 2);
        }
        t.seq = nextSeq++;
        t.index = size;
        heap[size++] = t;
        siftUp(t.index);
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
        Timer removed = heap[i];
        removed.index = -1;
        Timer last = heap[--size];
        heap[size] = null;
        if (i < size) {
            heap[i] = last;
            last.index = i;
            siftDown(i);
            if (heap[i] == last) {
                siftUp(i);
            }
        }
        if (heap.length > 64 && size < heap.length / 4) {
            heap = Arrays.copyOf(heap, heap.length / 2);
        }
    }

    private static boolean less(Timer a, Timer b) {
        return a.deadline < b.deadline || (a.deadline == b.deadline && a.seq < b.seq);
    }

    private void siftUp(int i) {
        Timer t = heap[i];
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            Timer p = heap[parent];
            if (!less(t, p)) {
                break;
            }
            heap[i] = p;
            p.index = i;
            i = parent;
        }
        heap[i] = t;
        t.index = i;
    }

    private void siftDown(int i) {
        Timer t = heap[i];
        int half = size >>> 1;
        while (i < half) {
            int child = 2 * i + 1;
            int right = child + 1;
            if (right < size && less(heap[right], heap[child])) {
                child = right;
            }
            if (!less(heap[child], t)) {
                break;
            }
            heap[i] = heap[child];
            heap[i].index = i;
            i = child;
        }
        heap[i] = t;
        t.index = i;
    }
}
