/** Poller {@code nio}: the {@link dev.coro.spi.Poller} SPI over {@link java.nio.channels.Selector}. */
package dev.coro.poll.nio;
