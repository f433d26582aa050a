package dev.coro.spi;

import dev.coro.Coro;
import dev.coro.NotInCoroException;

import java.time.Duration;
import java.util.concurrent.Callable;

/**
 * What the {@link Coro} statics call: the scheduler that runs the calling coro. A scheduler binds
 * itself to its thread (and, for backends whose coros are threads of their own, to each coro's
 * thread) with {@link #bind}.
 */
public interface CoroEngine {

    <T> Coro<T> spawn(String name, Callable<T> body);

    /** The running coro; {@link NotInCoroException} if the engine is bound but no coro runs. */
    Coro<?> current();

    void yieldSlice();

    void sleep(Duration duration);

    void sleepUntil(long nanos);

    long now();

    <T> T withTimeout(Duration timeout, Callable<T> body);

    <T> T await(java.util.concurrent.CompletableFuture<T> future);

    <T> T blocking(Callable<T> task);

    /** The engine bound to the calling thread, or {@link NotInCoroException}. */
    static CoroEngine bound() {
        CoroEngine e = boundOrNull();
        if (e == null) {
            throw new NotInCoroException("not inside a coro: this call must be made from a coro, i.e. inside "
                    + "Scheduler.run(...) or a coro it spawned, on the scheduler's own thread (from another "
                    + "thread use Scheduler.submit)");
        }
        return e;
    }

    /** The engine bound to the calling thread, or null. */
    static CoroEngine boundOrNull() {
        Binding.Pair last = Binding.last;
        return last.thread() == Thread.currentThread() ? last.engine() : Binding.CURRENT.get();
    }

    /** Binds {@code engine} to the calling thread (null unbinds). For scheduler implementations only. */
    static void bind(CoroEngine engine) {
        Thread me = Thread.currentThread();
        if (engine == null) {
            Binding.CURRENT.remove();
            if (Binding.last.thread() == me) {
                Binding.last = Binding.Pair.NONE;
            }
        } else {
            Binding.CURRENT.set(engine);
            if (!me.isVirtual()) {
                Binding.last = new Binding.Pair(me, engine);
            }
        }
    }

    /** Adapts a Runnable body to the Callable the engine takes (a {@link RunnableBody}). */
    static Callable<Void> callable(Runnable body) {
        if (body == null) {
            throw new NullPointerException("coro body must not be null");
        }
        return new RunnableBody(body);
    }

    /**
     * A Runnable body as the engine takes it; {@link #body()} is what the user gave (a profiler counts
     * an unnamed coro by its body's class, its spawn site, not by this adapter's).
     *
     * @param body the user's body
     */
    record RunnableBody(Runnable body) implements Callable<Void> {
        @Override
        public Void call() {
            body.run();
            return null;
        }
    }

    /** Holder of the per-thread binding (interfaces cannot have private static fields). */
    final class Binding {
        static final ThreadLocal<CoroEngine> CURRENT = new ThreadLocal<>();
        /**
         * The latest binding made on a platform thread (a scheduler's own, for its run), which
         * {@link #boundOrNull()} tries before the ThreadLocal: a native coro's every operation then
         * skips the ThreadLocal's hash lookup. A pair is immutable, so a racy read sees a whole one;
         * only the thread a pair names writes or clears it, so a pair that names the reader is the
         * reader's own binding, and any other only sends it to the ThreadLocal. Virtual threads (loom
         * coros, bound at their start and never unbound) stay out of it, so it never holds an ended
         * run's engine past that run.
         */
        static Pair last = Pair.NONE;

        record Pair(Thread thread, CoroEngine engine) {
            static final Pair NONE = new Pair(null, null);
        }

        private Binding() {
        }
    }
}
