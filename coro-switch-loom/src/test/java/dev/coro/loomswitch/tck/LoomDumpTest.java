package dev.coro.loomswitch.tck;

import dev.coro.Scheduler;
import dev.coro.tck.scheduler.DumpVerification;

/** The kit's DumpVerification on the loom switch backend. */
class LoomDumpTest extends DumpVerification {
    @Override
    protected Scheduler.Builder schedulerBuilder() {
        return Scheduler.builder().switcher("loom");
    }
}
