package dev.coro.nativeswitch.tck;

import dev.coro.Scheduler;
import dev.coro.tck.scheduler.DumpVerification;

/** The kit's DumpVerification on the native switch backend. */
class NativeDumpTest extends DumpVerification {
    @Override
    protected Scheduler.Builder schedulerBuilder() {
        return Scheduler.builder().switcher("native");
    }
}
