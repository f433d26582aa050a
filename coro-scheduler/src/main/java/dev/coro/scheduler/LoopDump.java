package dev.coro.scheduler;

/**
 * {@code Scheduler.dump()}: every live coro with its state and stack. Scheduler thread only (other
 * threads ask through the owner's inbox), so the list and the states it reads are stable.
 */
final class LoopDump {
    private LoopDump() {
    }

    static String text(EventLoop loop) {
        StringBuilder sb = new StringBuilder();
        sb.append("scheduler '").append(loop.owner.config.name()).append("' (switch ").append(loop.backend.describe())
                .append(", poller ").append(loop.poller.name()).append(loop.virtualTime ? ", virtual time" : "")
                .append("): ").append(loop.live.count).append(" live coro(s), now ").append(loop.owner.clockNow())
                .append(" ns\n");
        for (CoroImpl<?> c : loop.live.snapshot()) {
            sb.append("  ").append(c).append('\n');
            StackTraceElement[] stack = c == loop.current && Thread.currentThread() == loop.schedulerThread()
                    ? Thread.currentThread().getStackTrace() : c.coroutine.stackTrace();
            for (StackTraceElement e : stack) {
                sb.append("      at ").append(e).append('\n');
            }
        }
        return sb.toString();
    }
}
