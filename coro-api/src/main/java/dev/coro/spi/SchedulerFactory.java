package dev.coro.spi;

import dev.coro.Scheduler;

/** Found through {@link java.util.ServiceLoader} by {@code Scheduler.builder().build()}; coro-scheduler provides it. */
public interface SchedulerFactory {
    Scheduler create(SchedulerConfig config);
}
