/**
 * The service-provider interface of coro: what a switch backend ({@link dev.coro.spi.SwitchProvider}),
 * a poller ({@link dev.coro.spi.PollerProvider}) or a scheduler ({@link dev.coro.spi.SchedulerFactory})
 * implements. Users never need it.
 */
package dev.coro.spi;
