package dev.coro.tck.switching;

import dev.coro.spi.Coroutine;
import dev.coro.spi.SwitchHost;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The host a {@link SwitchBackendVerification} opens backends with, standing in for the scheduler:
 * the scheduler thread is the thread that made it; wake-ups are only recorded (the kit's bodies
 * never block in the JDK, so a backend should make none).
 */
public final class FakeSwitchHost implements SwitchHost {
    private final Thread thread = Thread.currentThread();
    private final List<Coroutine> wakeups = new CopyOnWriteArrayList<>();

    @Override
    public Thread schedulerThread() {
        return thread;
    }

    @Override
    public void wakeup(Coroutine coroutine) {
        wakeups.add(coroutine);
    }

    /** Recognisable, so that a backend that names unnamed coroutines itself is caught. */
    @Override
    public String nameOf(Object attachment) {
        return "named by the host after " + attachment;
    }

    public List<Coroutine> wakeups() {
        return wakeups;
    }
}
