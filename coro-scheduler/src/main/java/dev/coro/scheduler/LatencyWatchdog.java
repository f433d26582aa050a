package dev.coro.scheduler;

import java.time.Duration;

/**
 * Rule 9's latency warning without a clock read per switch: a daemon thread samples the loop's
 * switch counter; if it has not moved for a threshold while a coro runs, that coro is reported once,
 * with the stack it is running (System.Logger WARNING and a JFR {@link LatencyWarningEvent}).
 */
final class LatencyWatchdog implements Runnable {
    private static final System.Logger LOG = System.getLogger("dev.coro.scheduler");

    private final EventLoop loop;
    private final long thresholdNanos;
    private final Thread thread;
    private volatile boolean stopped;

    private LatencyWatchdog(EventLoop loop, Duration threshold) {
        this.loop = loop;
        this.thresholdNanos = threshold.toNanos();
        this.thread = Thread.ofPlatform().daemon().name("coro-latency-watchdog-" + loop.owner.config.name())
                .unstarted(this);
    }

    static LatencyWatchdog start(EventLoop loop, Duration threshold) {
        LatencyWatchdog w = new LatencyWatchdog(loop, threshold);
        w.thread.start();
        return w;
    }

    void stop() {
        stopped = true;
        thread.interrupt();
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void run() {
        long tickNanos = Math.max(1_000_000L, thresholdNanos / 4);
        long lastSwitches = -1;
        long since = System.nanoTime();
        long reported = -1;
        while (!stopped) {
            try {
                Thread.sleep(Duration.ofNanos(tickNanos));
            } catch (InterruptedException e) {
                return;
            }
            long s = loop.switchCount();
            CoroImpl<?> c = loop.current;
            long t = System.nanoTime();
            if (s != lastSwitches || c == null) {
                lastSwitches = s;
                since = t;
                continue;
            }
            long ran = t - since;
            if (ran >= thresholdNanos && reported != s) {
                reported = s;
                report(c, ran);
            }
        }
    }

    private void report(CoroImpl<?> c, long ranNanos) {
        StackTraceElement[] stack = c.coroutine.stackTrace();
        StringBuilder sb = new StringBuilder();
        sb.append("high latency: coro #").append(c.id()).append(" '").append(c.name()).append("' has run for ")
                .append(ranNanos / 1_000_000).append(" ms without switching (threshold ")
                .append(thresholdNanos / 1_000_000).append(" ms)");
        for (StackTraceElement e : stack) {
            sb.append("\n\tat ").append(e);
        }
        LoopLog.log(LOG, System.Logger.Level.WARNING, sb.toString(), null);
        LatencyWarningEvent event = new LatencyWarningEvent();
        if (event.shouldCommit()) {
            event.coroId = c.id();
            event.coroName = c.name();
            event.runMillis = ranNanos / 1_000_000;
            event.commit();
        }
    }
}
