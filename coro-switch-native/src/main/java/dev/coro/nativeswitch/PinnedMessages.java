package dev.coro.nativeswitch;

import jdk.internal.vm.Continuation.Pinned;

/**
 * The text of {@link dev.coro.CoroPinnedException}: why the VM refused to switch, in the user's
 * terms rather than the VM's enum, and what to do about it.
 */
final class PinnedMessages {

    private PinnedMessages() {
    }

    /** Forces loading (and the enum switch's helper) ahead of the first pinned suspend. */
    static void load() {
        for (Pinned p : Pinned.values()) {
            of("", p);
        }
    }

    static String of(String coroName, Pinned reason) {
        String prefix = "coro '" + coroName + "' cannot switch: ";
        String suffix = " The switch did not happen; the coro goes on running where it was.";
        return prefix + switch (reason) {
            case NATIVE -> "a native frame is on its stack (JNI code, or a class initializer <clinit> that is "
                    + "running, which the VM calls natively). Do not switch from native callbacks or static "
                    + "initializers.";
            case MONITOR -> "it holds a synchronized monitor (strict monitor mode, -XX:LockingMode=1). Never hold "
                    + "a synchronized monitor across a switch: use dev.coro.sync.Mutex.";
            case CRITICAL_SECTION -> "it is inside a JDK critical section (a JDK method that pinned the "
                    + "continuation, Continuation.pin()).";
            case EXCEPTION -> "the VM could not save its stack (out of memory or stack overflow while switching).";
        } + suffix;
    }
}
