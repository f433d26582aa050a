package dev.coro.loomswitch;

import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The carrier of virtual threads whose backend has closed: one daemon platform thread for the whole
 * JVM, made when first needed and ended after 5 s idle.
 *
 * <p>Why: a coro still blocked in a JDK call when its run ends (an uninterruptible
 * {@code ReentrantLock.lock()}, say) is abandoned by the scheduler, but the JDK may later hand it
 * something — a lock, a permit — through its executor. If nothing ran that task, the virtual thread
 * would never take what it was handed and every platform thread queued behind it would wait for
 * ever. Here it runs on: the scheduler makes each of its coro operations throw
 * {@code CoroShutdownException}, so it unwinds (releasing what it holds) and ends.
 *
 * <p>Caveats: abandoned threads share this one carrier, one at a time; one that never ends (it
 * catches every shutdown and keeps calling into the JDK) keeps it for itself.
 */
final class AbandonedCarrier {
    private static final ThreadPoolExecutor CARRIER = new ThreadPoolExecutor(1, 1, 5, TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(), Thread.ofPlatform().daemon().name("coro-loom-abandoned").factory());

    static {
        CARRIER.allowCoreThreadTimeOut(true);
    }

    private AbandonedCarrier() {
    }

    /** Runs a closed backend's continuation task; any thread, never blocks, never rejects. */
    static void run(Runnable continuationTask) {
        CARRIER.execute(continuationTask);
    }
}
