/**
 * The user API of coro: {@link dev.coro.Scheduler} runs the event loop; {@link dev.coro.Coro} spawns,
 * sleeps, yields and times out coros; the exceptions say what went wrong.
 */
package dev.coro;
