package dev.coro.tck.example;

import dev.coro.Scheduler;
import dev.coro.tck.scheduler.ScaleVerification;

/** ScaleVerification scales to the declared limit of a thread-per-coroutine backend (199 coros, not 100,000). */
class ThreadPerCoroutineScaleTest extends ScaleVerification {
    @Override
    protected Scheduler.Builder schedulerBuilder() {
        return Scheduler.builder().switcher(ThreadPerCoroutineSwitchProvider.NAME);
    }
}
