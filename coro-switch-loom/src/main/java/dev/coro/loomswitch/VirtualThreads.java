package dev.coro.loomswitch;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Constructor;
import java.util.Optional;
import java.util.concurrent.Executor;

/**
 * Creates virtual threads with a scheduler of our choosing. The JDK has no public API for that; its
 * package-private {@code java.lang.ThreadBuilders$VirtualThreadBuilder(Executor)} constructor is
 * reached once, reflectively (needs {@code --add-opens java.base/java.lang=ALL-UNNAMED}), and kept as
 * a constant method handle so that each {@link #unstarted} costs one builder allocation.
 */
final class VirtualThreads {

    static final String BUILDER_CLASS = "java.lang.ThreadBuilders$VirtualThreadBuilder";

    /** {@code (Executor) -> Thread.Builder.OfVirtual}, or null when {@link #FAILURE} is set. */
    private static final MethodHandle NEW_BUILDER;
    private static final String FAILURE;

    static {
        MethodHandle mh = null;
        String failure = null;
        try {
            Constructor<?> k = Class.forName(BUILDER_CLASS).getDeclaredConstructor(Executor.class);
            k.setAccessible(true);
            mh = MethodHandles.lookup().unreflectConstructor(k)
                    .asType(MethodType.methodType(Thread.Builder.OfVirtual.class, Executor.class));
        } catch (ReflectiveOperationException | RuntimeException e) {
            // InaccessibleObjectException without the add-opens; NoSuchMethod on a JDK that moved it.
            failure = "cannot reach " + BUILDER_CLASS + "(Executor): " + e;
        }
        NEW_BUILDER = mh;
        FAILURE = failure;
    }

    private VirtualThreads() {
    }

    /** Empty when {@link #unstarted} works in this JVM, else why not. */
    static Optional<String> unavailableReason() {
        return Optional.ofNullable(FAILURE);
    }

    /** An unstarted virtual thread whose every continuation task goes to {@code scheduler}. */
    static Thread unstarted(Executor scheduler, String name, Runnable task) {
        if (NEW_BUILDER == null) {
            throw new IllegalStateException(FAILURE);
        }
        Thread.Builder.OfVirtual builder;
        try {
            builder = (Thread.Builder.OfVirtual) NEW_BUILDER.invokeExact(scheduler);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t); // the constructor declares no checked exception
        }
        return builder.name(name).unstarted(task);
    }
}
