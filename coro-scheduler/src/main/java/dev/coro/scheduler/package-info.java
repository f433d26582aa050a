/**
 * The scheduler: {@link dev.coro.scheduler.CoroScheduler} (lifecycle, clock, cross-thread inbox),
 * {@link dev.coro.scheduler.EventLoop} (one run: timers, passes, poll) with one class per concern
 * beside it (its header lists them), {@link dev.coro.scheduler.RunQueue}
 * (staging/pending), {@link dev.coro.scheduler.TimerHeap}, and backend discovery
 * ({@link dev.coro.scheduler.Backends}).
 */
package dev.coro.scheduler;
