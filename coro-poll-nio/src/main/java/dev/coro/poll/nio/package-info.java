/** Poller {@code nio} over {@link java.nio.channels.Selector} (to be filled in by the poller issue). */
package dev.coro.poll.nio;
