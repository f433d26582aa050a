package dev.coro.nativeswitch;

import dev.coro.CoroPinnedException;
import dev.coro.spi.Coroutine;
import dev.coro.spi.ResumeOutcome;
import dev.coro.spi.SwitchBackend;

/**
 * Child JVM main, run with -XX:LockingMode=1: coro A suspends inside synchronized (lock) and must
 * get CoroPinnedException there; coro B then enters the monitor and completes.
 */
public final class StrictMonitorMain {

    private static final Object LOCK = new Object();

    public static void main(String[] args) {
        try (SwitchBackend backend = new NativeSwitchProvider().open(new FakeHost())) {
            System.out.println("DESCRIBE " + backend.describe());
            String[] pinned = {null};
            boolean[] switchedHoldingLock = {false};
            boolean[] bEntered = {false};
            Coroutine a = backend.create("coro-A", () -> {
                synchronized (LOCK) {
                    try {
                        backend.suspend();
                        switchedHoldingLock[0] = true;
                    } catch (CoroPinnedException e) {
                        pinned[0] = e.getMessage();
                    }
                }
                backend.suspend(); // outside the monitor: a normal switch
            }, null);
            Coroutine b = backend.create("coro-B", () -> {
                synchronized (LOCK) {
                    bEntered[0] = true;
                }
            }, null);
            ResumeOutcome a1 = backend.resume(a);
            ResumeOutcome b1 = backend.resume(b);
            ResumeOutcome a2 = backend.resume(a);
            System.out.println("RESULT a1=" + a1 + " b1=" + b1 + " a2=" + a2 + " switchedHoldingLock="
                    + switchedHoldingLock[0] + " bEntered=" + bEntered[0] + " pinned=" + pinned[0]);
        }
    }
}
