package dev.coro.nativeswitch.tck;

import dev.coro.Scheduler;
import dev.coro.tck.scheduler.BadInputVerification;

/** The kit's BadInputVerification on the native switch backend. */
class NativeBadInputTest extends BadInputVerification {
    @Override
    protected Scheduler.Builder schedulerBuilder() {
        return Scheduler.builder().switcher("native");
    }
}
