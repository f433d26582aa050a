/**
 * Synchronisation between the coros of one scheduler run (SPEC.md §2): {@link dev.coro.sync.CondVar},
 * {@link dev.coro.sync.Mutex}, {@link dev.coro.sync.Semaphore}, {@link dev.coro.sync.InvertedSemaphore},
 * {@link dev.coro.sync.RwLock}, {@link dev.coro.sync.Fifo}, {@link dev.coro.sync.CoroLocal},
 * {@link dev.coro.sync.InParallel}. Waiters are served FIFO; every wait has a timed variant
 * ({@code CoroTimeoutException}) and honours interrupts; a waiter that leaves by timeout or interrupt
 * is removed and no other waiter loses a wake-up. {@code new} needs no scheduler; a primitive binds
 * to the run of its first user and refuses use from any other. Operations that need no wait allocate
 * nothing (error messages are built only when thrown). Not thread-safe, except
 * {@link dev.coro.sync.Fifo#pushFromAnyThread}.
 */
package dev.coro.sync;
