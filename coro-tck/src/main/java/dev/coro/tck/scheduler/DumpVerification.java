package dev.coro.tck.scheduler;

import dev.coro.Coro;
import dev.coro.CoroDump;
import dev.coro.Scheduler;
import dev.coro.SchedulerDump;
import dev.coro.sync.CondVar;
import dev.coro.sync.Fifo;
import dev.coro.sync.Mutex;
import org.junit.jupiter.api.Test;

import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SPEC.md §5: {@code Scheduler.dumpState()} says what every live coro is doing and waiting for, with
 * its stack; {@code dump()} is its text, identical stacks collapsed; the MXBean of each running
 * scheduler gives the same records and is gone when the run ends. Example-based, under virtual time
 * (times in the dump are then exact): a backend's test class extends this and returns its builder
 * from {@link #schedulerBuilder()}.
 *
 * <p>Rules checked ({@link dev.coro.tck.Rule}): {@code observability} (SPEC.md#observability).
 */
public abstract class DumpVerification extends SchedulerVerificationBase {

    @Test
    public void observability_aSleepingCorosStackShowsTheLineOfItsSleepCall() {
        AtomicInteger line = new AtomicInteger();
        Scheduler s = virtual();
        runChecked(s, () -> {
            Coro<?> sleeper = Coro.spawn("sleeper", () -> {
                line.set(new Throwable().getStackTrace()[0].getLineNumber()); Coro.sleep(Duration.ofSeconds(10));
                return null;
            });
            Coro.yieldSlice();
            CoroDump d = coro(s.dumpState(), "sleeper");
            assertEquals(CoroDump.State.SLEEPING, d.state(), d.toString());
            assertEquals("sleep", d.waitingFor().kind());
            assertEquals(10_000_000_000L, d.waitingFor().untilNanos(), "the sleep's deadline");
            StackTraceElement call = d.stack().stream()
                    .filter(e -> "DumpVerification.java".equals(e.getFileName()) && e.getLineNumber() == line.get())
                    .findFirst().orElse(null);
            assertNotNull(call, "no frame at DumpVerification.java:" + line + " (the sleep call) in " + d.stack());
            String text = s.dump();
            assertTrue(text.contains("DumpVerification.java:" + line.get() + ")"), text);
            sleeper.shutdown();
            return null;
        });
    }

    @Test
    public void observability_eachCorosStateAndWaitAreRight() {
        Scheduler s = virtual();
        runChecked(s, () -> {
            CondVar cv = new CondVar();
            Fifo<String> fifo = new Fifo<>();
            Coro<?> sleeper = Coro.spawn("sleeper", (Runnable) () -> Coro.sleep(Duration.ofSeconds(60)));
            Coro<?> condWaiter = Coro.spawn("cond-waiter", () -> cv.await());
            Coro<?> popper = Coro.spawn("popper", () -> fifo.pop());
            Coro<?> joiner = Coro.spawn("joiner", () -> sleeper.join());
            Coro.sleep(Duration.ofMillis(5));
            CondVar go = new CondVar();
            Coro<?> yielder = Coro.spawn("yielder", () -> {
                go.wakeOne();
                Coro.yieldSlice(); // still yielded when main runs on
                return null;
            });
            go.await();
            Coro<?> fresh = Coro.spawn("fresh", () -> null); // spawned, not started yet
            SchedulerDump dump = s.dumpState();
            assertEquals(7, dump.coros().size(), dump.toText());
            assertEquals(5_000_000L, dump.nowNanos());

            CoroDump main = coro(dump, "main");
            assertEquals(CoroDump.State.RUNNING, main.state());
            assertNull(main.waitingFor());
            assertEquals(5_000_000L, main.ageNanos(), "main was spawned at the start of the run");
            assertEquals(CoroDump.State.RUNNABLE, coro(dump, "fresh").state());
            assertEquals(0, coro(dump, "fresh").ageNanos());
            assertEquals(CoroDump.State.RUNNABLE, coro(dump, "yielder").state());

            CoroDump sl = coro(dump, "sleeper");
            assertEquals(CoroDump.State.SLEEPING, sl.state());
            assertEquals(60_000_000_000L, sl.waitingFor().untilNanos());
            assertEquals(5_000_000L, sl.waitingFor().waitedNanos(), "it has slept since the first pass");

            CoroDump c = coro(dump, "cond-waiter");
            assertEquals(CoroDump.State.WAITING, c.state());
            assertEquals("CondVar", c.waitingFor().kind());
            assertTrue(c.waitingFor().on().startsWith("CondVar.await on CondVar[1 waiting]"), c.waitingFor().on());
            assertEquals(5_000_000L, c.waitingFor().waitedNanos());
            assertEquals(-1, c.waitingFor().untilNanos());

            CoroDump p = coro(dump, "popper");
            assertEquals("Fifo", p.waitingFor().kind());
            assertTrue(p.waitingFor().on().startsWith("Fifo.pop on "), p.waitingFor().on());

            CoroDump j = coro(dump, "joiner");
            assertEquals(CoroDump.State.WAITING, j.state());
            assertEquals("join", j.waitingFor().kind());
            assertEquals(sleeper.id(), j.waitingFor().holderId(), "the coro it joins");

            String text = dump.toText();
            assertTrue(text.contains("coro #" + sleeper.id() + " 'sleeper' SLEEPING, age 0.005 s: sleep until 60.000 s, "
                    + "for 0.005 s"), text);
            for (Coro<?> x : List.of(sleeper, condWaiter, popper, joiner, yielder, fresh)) {
                x.shutdown();
            }
            return null;
        });
    }

    @Test
    public void observability_aCoroWaitingOnAMutexShowsItsOwner() {
        Scheduler s = virtual();
        runChecked(s, () -> {
            Mutex m = new Mutex();
            Coro<?> owner = Coro.spawn("owner", () -> {
                m.lock();
                try {
                    Coro.sleep(Duration.ofDays(1));
                } finally {
                    m.unlock();
                }
                return null;
            });
            Coro<?> waiter = Coro.spawn("waiter", () -> {
                m.lock();
                m.unlock();
                return null;
            });
            Coro.yieldSlice();
            CoroDump w = coro(s.dumpState(), "waiter");
            assertEquals(CoroDump.State.WAITING, w.state());
            assertEquals("Mutex", w.waitingFor().kind());
            assertEquals(owner.id(), w.waitingFor().holderId(), "the mutex's owner: " + w);
            assertTrue(w.waitingFor().on().contains("held by coro #" + owner.id() + " 'owner'"), w.waitingFor().on());
            owner.shutdown();
            waiter.join();
            return null;
        });
    }

    @Test
    public void observability_aHundredIdenticalCorosCollapseIntoOneGroupWithTheirCount() {
        Scheduler s = virtual();
        runChecked(s, () -> {
            List<Coro<?>> sleepers = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                sleepers.add(Coro.spawn("same-" + i, () -> Coro.sleep(Duration.ofDays(1))));
            }
            Coro<?> other = Coro.spawn("other", () -> Coro.sleep(Duration.ofDays(2)));
            Coro.yieldSlice();
            SchedulerDump dump = s.dumpState();
            List<SchedulerDump.Group> groups = dump.groups();
            assertEquals(3, groups.size(), "the hundred, 'other' (another stack) and main: " + groups.stream()
                    .map(g -> g.count() + " " + g.state()).toList());
            SchedulerDump.Group hundred = groups.get(0);
            assertEquals(100, hundred.count());
            assertEquals(CoroDump.State.SLEEPING, hundred.state());
            assertEquals(100, hundred.coros().stream().filter(c -> c.name().startsWith("same-")).count());
            String text = dump.toText();
            assertTrue(text.contains("102 live coros in 3 groups"), text);
            assertTrue(text.contains("\n100 coros SLEEPING on sleep, same stack:\n"), text);
            assertTrue(text.contains("… and " + (100 - SchedulerDump.LISTED_PER_GROUP) + " more"), text);
            assertEquals(1, count(text, "\n100 coros "), "the hundred are one entry:\n" + text);
            for (Coro<?> c : sleepers) {
                c.shutdown();
            }
            other.shutdown();
            return null;
        });
    }

    @Test
    public void observability_awaitedFuturesAndBlockingCallsAreNamed() {
        CountDownLatch never = new CountDownLatch(1);
        Scheduler s = virtual();
        runChecked(s, () -> {
            CompletableFuture<String> pending = new CompletableFuture<>();
            Coro<?> awaiter = Coro.spawn("awaiter", () -> Coro.await(pending));
            Coro<?> blocker = Coro.spawn("blocker", () -> Coro.blocking(() -> never.await(1, TimeUnit.DAYS)));
            Coro.yieldSlice();
            SchedulerDump dump = s.dumpState();
            assertEquals("future", coro(dump, "awaiter").waitingFor().kind());
            assertEquals(CoroDump.State.WAITING, coro(dump, "awaiter").state());
            assertEquals("blocking call", coro(dump, "blocker").waitingFor().kind());
            awaiter.shutdown();
            blocker.shutdown(); // interrupts its worker
            return null;
        });
    }

    @Test
    public void observability_dumpStateIsNullBetweenRuns() {
        Scheduler s = virtual();
        assertNull(s.dumpState());
        runChecked(s, () -> null);
        assertNull(s.dumpState());
    }

    @Test
    public void observability_eachOfTwoRunningSchedulersHasItsOwnMXBeanGoneWhenItsRunEnds() throws Exception {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        String name = "dump-jmx-" + getClass().getSimpleName(); // both schedulers have this name
        ObjectName pattern = new ObjectName("dev.coro:type=Scheduler,name=\"" + name + "#*\"");
        CountDownLatch started = new CountDownLatch(2);
        CompletableFuture<Void> release = new CompletableFuture<>();
        List<Thread> loops = new ArrayList<>();
        for (String who : List.of("a", "b")) {
            Scheduler s = builder().name(name).build();
            Thread t = Thread.ofPlatform().name("dump-jmx-" + who).start(() -> s.run(() -> {
                Coro<?> sleeper = Coro.spawn(who + "-sleeper", () -> Coro.sleep(Duration.ofDays(1)));
                Coro.yieldSlice();
                started.countDown();
                Coro.await(release);
                sleeper.shutdown();
                return null;
            }));
            loops.add(t);
        }
        try {
            assertTrue(started.await(30, TimeUnit.SECONDS), "the schedulers did not start");
            Set<ObjectName> beans = server.queryNames(pattern, null);
            assertEquals(2, beans.size(), "one bean per running scheduler: " + beans);
            List<String> seen = new ArrayList<>();
            for (ObjectName bean : beans) {
                assertEquals(2, server.getAttribute(bean, "LiveCoros"));
                CompositeData dump = (CompositeData) server.invoke(bean, "dumpState", null, null);
                assertEquals(name, dump.get("scheduler"));
                CompositeData[] coros = (CompositeData[]) dump.get("coros");
                List<String> names = Arrays.stream(coros).map(c -> (String) c.get("name")).sorted().toList();
                CompositeData sleeper = Arrays.stream(coros).filter(c -> ((String) c.get("name")).endsWith("-sleeper"))
                        .findFirst().orElseThrow();
                assertEquals("SLEEPING", sleeper.get("state"));
                assertEquals("sleep", ((CompositeData) sleeper.get("waitingFor")).get("kind"));
                assertTrue(((CompositeData[]) sleeper.get("stack")).length > 0, "the stack crosses JMX too");
                String text = (String) server.invoke(bean, "dump", null, null);
                assertTrue(text.contains(names.get(0)), text);
                seen.addAll(names);
            }
            assertEquals(List.of("a-sleeper", "b-sleeper", "main", "main"), seen.stream().sorted().toList(),
                    "each bean shows its own scheduler's coros");
        } finally {
            release.complete(null);
            for (Thread t : loops) {
                t.join(TimeUnit.SECONDS.toMillis(30));
            }
        }
        assertEquals(Set.of(), server.queryNames(pattern, null), "a bean outlived its run");
    }

    private static CoroDump coro(SchedulerDump dump, String name) {
        return dump.coros().stream().filter(c -> c.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no coro '" + name + "' in\n" + dump.toText()));
    }

    private static int count(String s, String part) {
        int n = 0;
        for (int i = s.indexOf(part); i >= 0; i = s.indexOf(part, i + 1)) {
            n++;
        }
        return n;
    }
}
