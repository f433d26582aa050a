/**
 * Switch backend {@code native}: each coro is a {@code jdk.internal.vm.Continuation} run directly on
 * the scheduler thread; on suspend the VM copies the coro's frames to the heap and copies them back
 * on resume (shrapnel's stack copying, done by the VM). Needs
 * {@code --add-exports java.base/jdk.internal.vm=ALL-UNNAMED} (in {@code coro.jvmargs}).
 *
 * <p>JDK blocking calls block the scheduler thread, and with it every coro, as in shrapnel. A
 * suspend that the VM refuses (a native frame or class initializer on the stack; in strict mode, a
 * held {@code synchronized} monitor) throws {@link dev.coro.CoroPinnedException} and does not switch.
 * Never hold a {@code synchronized} monitor across a switch; use {@code dev.coro.sync.Mutex}: in
 * the default locking mode such a switch succeeds and the next coro to enter the monitor hangs the
 * scheduler (the monitor watchdog reports it) or, worse, enters it. {@code -XX:LockingMode=1}
 * turns on strict mode, where the switch itself fails.
 *
 * <p>Users reach this package through {@link java.util.ServiceLoader} only
 * ({@link dev.coro.nativeswitch.NativeSwitchProvider}).
 */
package dev.coro.nativeswitch;
