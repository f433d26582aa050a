package dev.coro.nativeswitch;

import dev.coro.spi.Coroutine;
import dev.coro.spi.SwitchBackend;
import java.util.Objects;

/**
 * Child JVM main, run in the default locking mode with a low watchdog threshold: coro A suspends
 * holding the monitor (the trap), coro B enters it and blocks the scheduler thread for ever; the
 * watchdog must report. The test kills this JVM.
 */
public final class WatchdogMain {

    private static final Object LOCK = new Object();

    public static void main(String[] args) {
        SwitchBackend backend = new NativeSwitchProvider().open(new FakeHost());
        System.out.println("DESCRIBE " + backend.describe());
        System.out.println("LOCK " + Objects.toIdentityString(LOCK));
        Coroutine a = backend.create("coro-A", () -> holdAcrossSwitch(backend), null);
        Coroutine b = backend.create("coro-B", WatchdogMain::enterHeldMonitor, null);
        System.out.println("A " + backend.resume(a));
        System.out.println("RESUMING B");
        System.out.println("B " + backend.resume(b)); // blocks for ever in the default locking mode
        System.out.println("UNEXPECTED: B was not blocked");
    }

    private static void holdAcrossSwitch(SwitchBackend backend) {
        synchronized (LOCK) {
            backend.suspend();
        }
    }

    private static void enterHeldMonitor() {
        synchronized (LOCK) {
            System.out.println("UNEXPECTED: B entered the monitor");
        }
    }
}
