package dev.coro.sync;

import dev.coro.Coro;
import dev.coro.scheduler.CoroContext;

import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * A variable with one value per coro, like {@link ThreadLocal} for coros. A coro that has not set it
 * sees the initial value (from the supplier, computed once per coro on first {@link #get}). The values
 * live in the coro itself and are dropped when it ends, so nothing outlives the coro. Not inherited by
 * spawned coros. [shrapnel: {@code ThreadLocal} in {@code coro/local.pyx}]
 *
 * <p>Invariant: this object holds no per-coro state; each coro's map (keyed by identity) does.
 */
public final class CoroLocal<T> {
    private final Supplier<? extends T> initial;

    /** A local whose initial value is null. */
    public CoroLocal() {
        this.initial = () -> null;
    }

    private CoroLocal(Supplier<? extends T> initial) {
        this.initial = initial;
    }

    /** A local whose initial value in each coro comes from {@code initial}. */
    public static <T> CoroLocal<T> withInitial(Supplier<? extends T> initial) {
        return new CoroLocal<>(Objects.requireNonNull(initial, "initial-value supplier must not be null"));
    }

    /** The calling coro's value (its initial value if it never set one). */
    @SuppressWarnings("unchecked")
    public T get() {
        Map<Object, Object> m = map("get");
        if (m.containsKey(this)) {
            return (T) m.get(this);
        }
        T v = initial.get();
        m.put(this, v);
        return v;
    }

    /** Sets the calling coro's value. */
    public void set(T value) {
        map("set").put(this, value);
    }

    /** Forgets the calling coro's value: its next {@link #get} computes the initial value again. */
    public void remove() {
        map("remove").remove(this);
    }

    /** True if the calling coro has a value (set, or computed by a get). */
    public boolean isPresent() {
        return map("isPresent").containsKey(this);
    }

    private static Map<Object, Object> map(String op) {
        Coro<?> me = CoroContext.selfOrNull();
        if (me == null) {
            me = CoroContext.self("CoroLocal." + op); // throws; the message is built only then
        }
        return CoroContext.locals(me);
    }

    @Override
    public String toString() {
        return "CoroLocal@" + Integer.toHexString(System.identityHashCode(this));
    }
}
