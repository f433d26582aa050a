package dev.coro.tck.scheduler;

import dev.coro.Coro;
import dev.coro.CoroExecutionException;
import dev.coro.Scheduler;
import dev.coro.tck.LogCapture;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;
import java.util.logging.LogRecord;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SPEC.md §3 rule 7: a failing coro goes to the handler and its joiners; nothing else stops.
 * Example-based: a backend's test class extends this and returns its builder from
 * {@link #schedulerBuilder()}; each test is named after the rule it checks, and a failure names it.
 *
 * <p>Rules checked ({@link dev.coro.tck.Rule}): {@code rule7} (SPEC.md#rule-7), {@code api} (SPEC.md#api).
 */
public abstract class FailureRulesVerification extends SchedulerVerificationBase {

    @Test
    public void rule7_failureGoesToTheHandlerAndToJoinersAndOthersGoOn() {
        IllegalStateException boom = new IllegalStateException("boom");
        runVirtual(() -> {
            Coro<?> bad = Coro.spawn("bad", () -> {
                Coro.sleep(ms(1));
                throw boom;
            });
            Coro<String> good = Coro.spawn("good", () -> {
                Coro.sleep(ms(2));
                logAt("good still runs");
                return "ok";
            });
            assertSame(boom, assertThrows(IllegalStateException.class, bad::join));
            assertEquals("ok", good.join());
            return null;
        });
        assertEquals(List.of("good still runs@2"), trace);
        assertEquals(List.of("bad"), uncaughtCoros);
        assertEquals(List.of(boom), uncaught);
    }

    @Test
    public void rule7_checkedFailureIsWrappedForJoiners() {
        runVirtual(() -> {
            Coro<Object> bad = Coro.spawn("bad", () -> {
                throw new IOException("disk");
            });
            CoroExecutionException e = assertThrows(CoroExecutionException.class, bad::join);
            assertInstanceOf(IOException.class, e.getCause());
            return null;
        });
    }

    @Test
    public void rule7_errorsInACoroDoNotStopTheScheduler() {
        runVirtual(() -> {
            Coro<?> deep = Coro.spawn("deep", () -> recurse(0));
            assertThrows(StackOverflowError.class, deep::join);
            Coro<String> after = Coro.spawn("after", () -> "fine");
            assertEquals("fine", after.join());
            return null;
        });
        assertInstanceOf(StackOverflowError.class, uncaught.get(0));
    }

    private static int recurse(int n) {
        return recurse(n + 1) + 1;
    }

    @Test
    public void rule7_aFailingHandlerDoesNotStopTheScheduler() {
        Scheduler s = schedulerBuilder().virtualTime()
                .uncaughtExceptionHandler((c, t) -> {
                    throw new IllegalArgumentException("handler broke");
                }).build();
        String v = s.run(() -> {
            Coro.spawn("bad", () -> {
                throw new IllegalStateException("x");
            });
            Coro.yieldSlice();
            return "main done";
        });
        assertEquals("main done", v);
    }

    @Test
    public void rule7_defaultHandlerLogsIdNameAndStack() {
        List<LogRecord> records = LogCapture.during("dev.coro.scheduler", () -> {
            Scheduler s = schedulerBuilder().virtualTime().build();
            s.run(() -> {
                Coro<?> bad = Coro.spawn("the-bad-one", () -> {
                    throw new IllegalStateException("logged failure");
                });
                Coro.yieldSlice();
                return bad;
            });
        });
        LogRecord r = records.stream().filter(x -> x.getThrown() != null).findFirst().orElseThrow(
                () -> new AssertionError("no record with a throwable among " + records.size()));
        assertTrue(r.getMessage().contains("the-bad-one") && r.getMessage().contains("#"), r.getMessage());
        assertEquals("logged failure", r.getThrown().getMessage());
        assertTrue(r.getThrown().getStackTrace().length > 0);
    }

    @Test
    public void api_runRethrowsMainsFailureWithoutReportingIt() {
        Scheduler s = virtual();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> s.run(() -> {
            throw new IllegalStateException("main failed");
        }));
        assertEquals("main failed", e.getMessage());
        assertEquals(List.of(), uncaught);
        CoroExecutionException c = assertThrows(CoroExecutionException.class, () -> virtual().run(() -> {
            throw new IOException("checked main");
        }));
        assertInstanceOf(IOException.class, c.getCause());
    }
}
