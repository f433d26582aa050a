package dev.coro.scheduler;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.SettingDefinition;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;

/**
 * JFR event for one poll call of the loop that took at least {@code minDuration} (default 20 ms).
 * Long includes an idle wait the loop asked for; {@link #overrun} is the part past {@link #timeout},
 * the time the poll kept runnable coros or due timers waiting (0 for a poll that returned within
 * its timeout, or had none).
 *
 * <p>The filter is a setting of the event's own on the duration the loop measured ({@link #took}),
 * so that it means the same however JFR timed the event. Open: in the first recording of a JVM on
 * the loom backend, a filter above 0 (this one or JFR's {@code threshold}) dropped every poll in our
 * tests, while later recordings and the native backend kept them; the cause is not known yet.
 *
 * <p>Zero cost when JFR does not record it: the loop makes the event on its stack (scalar-replaced)
 * and reads no extra clock unless {@link #recorded()}; until JFR first starts in the JVM it makes
 * none ({@link JfrEvents}).
 */
@Name("dev.coro.LongPoll")
@Label("Coro Long Poll")
@Category("coro")
@Description("A poll of the scheduler's poller that took at least minDuration")
@StackTrace(false)
final class LongPollEvent extends jdk.jfr.Event {
    @Label("Scheduler")
    String scheduler;
    @Label("Took")
    @Description("How long the poll call took")
    @Timespan
    long took;
    @Label("Timeout")
    @Description("The longest wait the loop allowed: 0 = do not wait, Forever = until readiness or a wake-up")
    @Timespan
    long timeout;
    @Label("Overrun")
    @Description("How long the poll took past its timeout: the time it kept runnable coros or due timers waiting")
    @Timespan
    long overrun;
    @Label("Events")
    @Description("Readiness events the poll handed out")
    int events;

    @Label("Minimum duration")
    @Description("Polls that took less are not recorded")
    @Name("minDuration")
    @SettingDefinition
    boolean minDuration(JfrDurationSetting.TwentyMillis setting) {
        return took >= setting.nanos;
    }

    /** Whether JFR records this event (then the loop times the poll for {@link #report}). */
    boolean recorded() {
        return isEnabled();
    }

    /** Ends the event begun before a poll of {@code timeout} ns (-1: unlimited) that took {@code tookNanos}. */
    void report(String schedulerName, long timeout, int events, long tookNanos) {
        end();
        this.took = tookNanos;
        if (shouldCommit()) {
            this.scheduler = schedulerName;
            this.timeout = timeout < 0 ? Long.MAX_VALUE : timeout;
            this.overrun = timeout < 0 ? 0 : Math.max(0, tookNanos - timeout);
            this.events = events;
            commit();
        }
    }
}
