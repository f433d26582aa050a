package dev.coro.nativeswitch;

import dev.coro.spi.Coroutine;
import dev.coro.spi.SwitchHost;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** The scheduler is whoever made the host; wakeups are recorded (the native backend should make none). */
final class FakeHost implements SwitchHost {

    final Thread scheduler = Thread.currentThread();
    final List<Coroutine> wakeups = new CopyOnWriteArrayList<>();

    @Override
    public Thread schedulerThread() {
        return scheduler;
    }

    @Override
    public void wakeup(Coroutine coroutine) {
        wakeups.add(coroutine);
    }
}
