package dev.coro.bench;

import dev.coro.Scheduler;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.time.Duration;

/**
 * One of our backend combinations, the "ours" side of every comparison benchmark: a scheduler built
 * for switch {@link #switchBackend} and poller {@link #poller}, reused by every invocation (each one
 * is a {@code Scheduler.run}). Backends are looked up by name through {@code ServiceLoader}, so a
 * third-party one joins with {@code bin/bench --cp its.jar -p switchBackend=native,loom,its-name}
 * (or {@code -p poller=...}).
 *
 * <p>{@code kqueue} on Linux needs coro-poll-kqueue's test shim
 * ({@code -Dcoro.kqueue.library=.../libkqueue-shim.so}); bin/bench passes it when the shim is built and
 * otherwise runs {@code -p poller=nio}, saying so in one line.
 *
 * <p>{@link #profile} ({@code -p profile=false,true}) runs the same benchmarks with the scheduler's
 * profiler on, to measure what it costs (issue 14); by default it is off, as in a user's scheduler.
 */
@State(Scope.Thread)
public class CoroBackends {
    @Param({"native", "loom"})
    public String switchBackend;

    @Param({"nio", "kqueue"})
    public String poller;

    /** Whether the scheduler's profiler runs (started once; it stays on across the benchmark's runs). */
    @Param({"false"})
    public boolean profile;

    public Scheduler scheduler;

    @Setup(Level.Trial)
    public void build() {
        scheduler = Scheduler.builder().switcher(switchBackend).poller(poller)
                .latencyWarning(Duration.ZERO).build();
        if (profile) {
            scheduler.profiler().start();
        }
    }

    @TearDown(Level.Trial)
    public void close() {
        scheduler.close();
    }
}
