/**
 * Switch backend {@code loom}: each coro is a virtual thread whose only carrier is the scheduler
 * thread. Each virtual thread's scheduler is an {@link java.util.concurrent.Executor} of its own
 * that never runs anything: it keeps the JDK's continuation task for the next
 * {@link dev.coro.spi.SwitchBackend#resume resume}, which runs it on the scheduler thread. JDK
 * blocking calls ({@code Thread.sleep}, j.u.c locks and queues, {@code synchronized}, JDK sockets)
 * therefore park only the coro; the JDK's wake-up reaches the scheduler through
 * {@link dev.coro.spi.SwitchHost#wakeup}. Needs {@code --add-opens java.base/java.lang=ALL-UNNAMED}
 * and should run with {@code -Djdk.pollerMode=1} (both in {@code coro.jvmargs}).
 */
package dev.coro.loomswitch;
