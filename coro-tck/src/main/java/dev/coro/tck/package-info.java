/**
 * The coro compatibility kit: abstract {@code *Verification} classes a backend's tests extend,
 * giving only a factory. {@link dev.coro.tck.Rule} lists the rules of SPEC.md they check; every
 * test or property is named {@code <rule prefix>_what} and every failure names the rule that broke.
 * Packages: {@code scheduler} (model-based properties and example tests of §3), {@code switching}
 * (switch backends, §4), {@code poll} (pollers, §4), {@code net} ({@code dev.coro.net} over a real
 * scheduler with a poller, §2 and §7), {@code faults} (a seeded fault injector at the poller and
 * socket layer, for the kit's {@code net.FaultInjectionVerification} and for users' own tests, §7).
 * {@link dev.coro.tck.FdLeakCheck} is a JUnit extension that fails a test leaving an fd open.
 */
package dev.coro.tck;
