/**
 * Fault injection at the poller and socket layer, for tests of code that runs on coro (SPEC.md §7):
 * {@link dev.coro.tck.faults.FaultInjector} with a {@link dev.coro.tck.faults.FaultPlan} makes a
 * scheduler's poller and its sockets meet EAGAIN storms, 1-byte writes, spurious readiness,
 * interrupted polls, connection resets and EMFILE on accept, reproducibly from a seed. The kit's
 * {@code dev.coro.tck.net.FaultInjectionVerification} checks coro itself with it.
 */
package dev.coro.tck.faults;
