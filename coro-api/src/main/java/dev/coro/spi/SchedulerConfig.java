package dev.coro.spi;

import dev.coro.Coro;

import java.time.Duration;
import java.util.function.BiConsumer;

/**
 * What {@code Scheduler.builder()} collected, handed to the {@link SchedulerFactory}.
 *
 * @param switcher         switch backend name, or null for {@code -Dcoro.switch} / the default order
 * @param poller           poller name, or null for {@code -Dcoro.poller} / the default order
 * @param latencyThreshold zero turns latency warnings off
 * @param uncaughtHandler  null for the default (System.Logger)
 * @param blockingThreads  the most worker threads {@code Coro.blocking} may use at once (excess calls queue)
 */
public record SchedulerConfig(String name, String switcher, String poller, boolean virtualTime,
                              int maxBatchesPerPhase, Duration latencyThreshold,
                              BiConsumer<Coro<?>, Throwable> uncaughtHandler, int blockingThreads) {
}
