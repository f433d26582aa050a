/**
 * The scheduler: {@link dev.coro.scheduler.CoroScheduler} (lifecycle, clock, cross-thread inbox),
 * {@link dev.coro.scheduler.EventLoop} (one run: timers, passes, poll), {@link dev.coro.scheduler.RunQueue}
 * (staging/pending), {@link dev.coro.scheduler.TimerHeap}, and backend discovery
 * ({@link dev.coro.scheduler.Backends}).
 */
package dev.coro.scheduler;
