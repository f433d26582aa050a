package dev.coro.scheduler;

import dev.coro.Scheduler;
import dev.coro.spi.SchedulerConfig;
import dev.coro.spi.SchedulerFactory;

/** The {@link SchedulerFactory} that {@code Scheduler.builder().build()} finds. */
public final class CoroSchedulerFactory implements SchedulerFactory {
    @Override
    public Scheduler create(SchedulerConfig config) {
        return new CoroScheduler(config, Backends.chooseSwitch(config.switcher()), Backends.choosePoller(config.poller()));
    }
}
