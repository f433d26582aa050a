package dev.coro.bench;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Constructor;
import java.util.concurrent.Executor;

/**
 * Virtual threads on an executor of our choosing, for the "raw virtual thread on a custom executor"
 * baselines. JDK 25 has no public API for it ({@code Thread.ofVirtual()} always uses the default
 * ForkJoinPool); this reaches the package-private {@code java.lang.ThreadBuilders$VirtualThreadBuilder(Executor)}
 * constructor reflectively, the technique coro-switch-loom's {@code VirtualThreads} uses (so the
 * baseline is the same JDK machinery the loom backend stands on, minus coro). Needs
 * {@code --add-opens java.base/java.lang=ALL-UNNAMED} (in coro.jvmargs).
 */
final class CustomVirtualThreads {
    private static final MethodHandle NEW_BUILDER;

    static {
        try {
            Constructor<?> k = Class.forName("java.lang.ThreadBuilders$VirtualThreadBuilder")
                    .getDeclaredConstructor(Executor.class);
            k.setAccessible(true);
            NEW_BUILDER = MethodHandles.lookup().unreflectConstructor(k)
                    .asType(MethodType.methodType(Thread.Builder.OfVirtual.class, Executor.class));
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private CustomVirtualThreads() {
    }

    /** A builder of virtual threads whose continuations run on {@code scheduler}. */
    static Thread.Builder.OfVirtual builder(Executor scheduler) {
        try {
            return (Thread.Builder.OfVirtual) NEW_BUILDER.invokeExact(scheduler);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }
}
