package dev.coro.nativeswitch;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Catches the {@code synchronized} trap when strict mode is off: coro A suspends inside
 * {@code synchronized (x)}, coro B then enters {@code synchronized (x)} on the same scheduler
 * thread and blocks it for ever (thin lock). Nothing at the switch can tell cheaply that a
 * monitor is held, so a daemon thread samples the scheduler thread's state (under 100 ns) a few
 * times per threshold, and when it stays BLOCKED inside one coro run for longer than the threshold,
 * logs one report per episode (see {@link MonitorReport}).
 *
 * <p>Invariants: one thread per backend, started by open and ended (joined) by close; it adds no
 * work to the switch path; it never calls user code (no toString of user objects).
 */
final class MonitorWatchdog implements Runnable {

    static final String THREAD_NAME = "coro-native-monitor-watchdog";
    static final Logger LOG = System.getLogger("dev.coro.nativeswitch");

    private final NativeSwitchBackend backend;
    private final WatchdogSettings settings;
    private final Thread thread;
    private volatile boolean stopped;

    MonitorWatchdog(NativeSwitchBackend backend, WatchdogSettings settings) {
        this.backend = backend;
        this.settings = settings;
        this.thread = Thread.ofPlatform().name(THREAD_NAME).daemon(true).unstarted(this);
    }

    void start() {
        thread.start();
    }

    Thread thread() {
        return thread;
    }

    /** Idempotent; returns once the thread has ended (or after a generous bound, if a report is slow). */
    void stop() {
        stopped = true;
        LockSupport.unpark(thread);
        if (Thread.currentThread() == thread || !thread.isAlive()) {
            return;
        }
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    thread.join(Duration.ofSeconds(10));
                    return;
                } catch (InterruptedException e) {
                    interrupted = true; // close() must still stop the thread
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public void run() {
        Thread scheduler = backend.schedulerThread();
        long period = TimeUnit.MILLISECONDS.toNanos(settings.periodMillis());
        BlockedEpisode episode = new BlockedEpisode(TimeUnit.MILLISECONDS.toNanos(settings.thresholdMillis()));
        while (!stopped) {
            LockSupport.parkNanos(this, period);
            if (stopped) {
                return;
            }
            boolean blocked = scheduler.getState() == Thread.State.BLOCKED;
            NativeCoroutine running = blocked ? backend.current() : null;
            long epoch = running == null ? 0 : running.state();
            if (episode.observe(running != null, running, epoch, System.nanoTime())) {
                report(scheduler, running);
            }
        }
    }

    private void report(Thread scheduler, NativeCoroutine running) {
        try {
            LOG.log(Level.ERROR, MonitorReport.build(backend, scheduler, running, settings.thresholdMillis(), () -> stopped));
        } catch (RuntimeException | Error e) {
            // A diagnostic must not kill the watchdog (or anything else).
            LOG.log(Level.ERROR, "coro native backend: the scheduler thread '" + scheduler.getName()
                    + "' is BLOCKED entering a monitor inside coro '" + running.name()
                    + "' (the full report failed: " + e + ")");
        }
    }
}
