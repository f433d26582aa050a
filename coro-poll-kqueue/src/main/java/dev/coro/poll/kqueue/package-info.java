/** Poller {@code kqueue} over kqueue(2)/kevent(2) through JNA (to be filled in by the kqueue issue). */
package dev.coro.poll.kqueue;
