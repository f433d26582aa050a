/**
 * Sockets for coros [shrapnel: {@code coro.sock}]: {@link dev.coro.net.CoroServerSocket},
 * {@link dev.coro.net.CoroSocket} and {@link dev.coro.net.CoroDatagramSocket}, over TCP (IPv4 and
 * IPv6), Unix-domain stream sockets and UDP. Each operation is straight-line code: it tries the
 * non-blocking call and, only if that would block, suspends the calling coro on the scheduler's
 * poller. A socket has one reader and one writer at a time ({@link dev.coro.net.SimultaneousUseException});
 * closing it wakes its waiters with {@link dev.coro.net.SocketClosedException}.
 */
package dev.coro.net;
