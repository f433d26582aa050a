package dev.coro.poll.kqueue;

import java.util.Arrays;

/**
 * What a knote's {@code udata} names: a slot in this table and the slot's generation at the time,
 * packed as {@code generation << 32 | slot}. A freed slot is reused under a new generation, so the
 * event of a knote that outlived its owner (a stale event) looks up as null instead of as the
 * slot's new owner. Generation 0 is never used, so a {@code udata} of 0 names nothing.
 *
 * @param <T> what the slots hold
 */
final class Slots<T> {
    private Object[] items = new Object[64];
    private int[] generations = new int[64];
    private int[] free = new int[64];
    private int freeCount;
    private int used;

    /** Puts {@code item} in a slot; returns its udata. */
    long add(T item) {
        int slot;
        if (freeCount > 0) {
            slot = free[--freeCount];
        } else {
            if (used == items.length) {
                items = Arrays.copyOf(items, 2 * used);
                generations = Arrays.copyOf(generations, 2 * used);
            }
            slot = used++;
        }
        int gen = ++generations[slot];
        if (gen == 0) {
            gen = ++generations[slot];
        }
        items[slot] = item;
        return ((long) gen << 32) | (slot & 0xffff_ffffL);
    }

    /** What {@code udata} names, or null if its slot was freed since (or it names nothing). */
    @SuppressWarnings("unchecked")
    T get(long udata) {
        int slot = (int) udata;
        if (slot < 0 || slot >= used || generations[slot] != (int) (udata >>> 32)) {
            return null;
        }
        return (T) items[slot];
    }

    /** Frees the slot of {@code udata} (which must name a live item). */
    void remove(long udata) {
        int slot = (int) udata;
        items[slot] = null;
        generations[slot]++; // the udata is stale from now on, even before the slot is reused
        if (generations[slot] == 0) {
            generations[slot]++;
        }
        if (freeCount == free.length) {
            free = Arrays.copyOf(free, 2 * freeCount);
        }
        free[freeCount++] = slot;
    }

    /** Slots ever used (an upper bound for {@link #at}). */
    int extent() {
        return used;
    }

    /** The item in slot {@code i}, or null. */
    @SuppressWarnings("unchecked")
    T at(int i) {
        return (T) items[i];
    }
}
