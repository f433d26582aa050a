/**
 * Poller {@code kqueue}: the {@link dev.coro.spi.Poller} SPI over kqueue(2)/kevent(2) through JNA
 * direct mapping. Three layers: {@code KqueueNative} (the binding), {@code KeventLayout} and
 * {@code KeventArray} (the FreeBSD 64-byte and macOS 32-byte {@code struct kevent}, off-heap), and
 * {@link dev.coro.poll.kqueue.KqueuePoller} (registrations, one {@code kevent} call per poll).
 */
package dev.coro.poll.kqueue;
