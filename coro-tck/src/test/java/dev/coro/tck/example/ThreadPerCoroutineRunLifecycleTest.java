package dev.coro.tck.example;

import dev.coro.Scheduler;
import dev.coro.tck.scheduler.RunLifecycleVerification;

/** A scheduler over a thread-per-coroutine backend leaves no thread after a run. */
class ThreadPerCoroutineRunLifecycleTest extends RunLifecycleVerification {
    @Override
    protected Scheduler.Builder schedulerBuilder() {
        return Scheduler.builder().switcher(ThreadPerCoroutineSwitchProvider.NAME);
    }
}
