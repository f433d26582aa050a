package dev.coro.tck.sync;

import dev.coro.Coro;
import dev.coro.Scheduler;
import dev.coro.sync.Fifo;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** dev.coro.sync.Fifo: FIFO service, bounded and unbounded, popAll, cross-thread pushes, nothing lost or doubled. *
 * <p>Rules checked ({@link dev.coro.tck.Rule}): {@code fifoService} (SPEC.md#api), {@code fifoQueue} (SPEC.md#api), {@code timedWait} (SPEC.md#api), {@code noLostWakeup} (SPEC.md#rule-6).
 */
public abstract class FifoVerification extends SyncVerificationBase {

    private Coro<Void> popper(Fifo<String> f, String name) {
        return Coro.spawn(name, () -> logged(name, () -> log(name + " got " + f.pop())));
    }

    private Coro<Void> pusher(Fifo<String> f, String name, String item) {
        return Coro.spawn(name, () -> logged(name, () -> f.push(item)));
    }

    private static List<String> drain(Fifo<String> f) {
        List<String> out = new ArrayList<>();
        String x;
        while ((x = f.poll()) != null) {
            out.add(x);
        }
        return out;
    }

    @Test
    public void fifoService_poppersAreServedInArrivalOrder() {
        runVirtual(() -> {
            Fifo<String> f = new Fifo<>();
            List<Coro<Void>> ps = List.of(popper(f, "A"), popper(f, "B"), popper(f, "C"));
            settle();
            f.push("1");
            f.push("2");
            f.push("3");
            ps.forEach(Coro::join);
            return null;
        });
        assertEquals(List.of("A got 1", "A ok@0", "B got 2", "B ok@0", "C got 3", "C ok@0"), trace);
    }

    @Test
    public void fifoQueue_unboundedKeepsOrderAndPopAllTakesEverything() {
        runVirtual(() -> {
            Fifo<String> f = new Fifo<>();
            for (int i = 0; i < 5; i++) {
                f.push("x" + i);
            }
            assertEquals("x0", f.pop());
            assertEquals(List.of("x1", "x2", "x3", "x4"), f.popAll());
            assertTrue(f.isEmpty());
            Coro<List<String>> all = Coro.spawn("all", () -> f.popAll());
            sleep(3);
            f.push("late");
            assertEquals(List.of("late"), all.join(), "popAll must wait while empty");
            return null;
        });
    }

    @Test
    public void fifoQueue_boundedPushWaitsWhileFullInArrivalOrder() {
        runVirtual(() -> {
            Fifo<String> f = new Fifo<>(2);
            f.push("1");
            f.push("2");
            assertFalse(f.offer("no room"));
            Coro<Void> p3 = pusher(f, "P3", "3");
            Coro<Void> p4 = pusher(f, "P4", "4");
            settle();
            assertEquals(2, f.waitingPushers());
            assertEquals("1", f.pop());
            assertEquals("2", f.pop());
            p3.join();
            p4.join();
            assertEquals(List.of("3", "4"), drain(f));
            return null;
        });
    }

    @Test
    public void timedWait_popAndPushTimeOutAndLeaveNothingBehind() {
        runVirtual(() -> {
            Fifo<String> f = new Fifo<>(1);
            Coro.spawn("A", () -> logged("A", () -> f.pop(ms(5)))).join();
            f.push("full");
            Coro.spawn("P", () -> logged("P", () -> f.push("never", ms(5)))).join();
            assertEquals(0, f.waitingPoppers());
            assertEquals(0, f.waitingPushers());
            assertEquals(List.of("full"), drain(f), "a timed-out push left its item");
            return null;
        });
        assertEquals(List.of("A timeout@5", "P timeout@10"), trace);
    }

    private void pushRacingWithTimeout(boolean pushTimerFirst) {
        runVirtual(() -> {
            Fifo<String> f = new Fifo<>();
            Coro<Void> a = Coro.spawn("A", () -> logged("A", () -> log("A got " + f.pop(ms(10)))));
            Coro<Void> b = popper(f, "B");
            if (!pushTimerFirst) {
                settle();
            }
            sleep(10);
            f.push("x");
            a.join();
            b.join();
            assertTrue(f.isEmpty(), "the item stayed in the fifo");
            return null;
        });
        assertTrue(trace.contains("A timeout@10"), trace.toString());
        assertTrue(trace.contains("B got x"), "B lost the item: " + trace);
    }

    @Test
    public void noLostWakeup_pushRacingWithATimeoutAtTheSameInstant_pushTimerFirst() {
        pushRacingWithTimeout(true);
    }

    @Test
    public void noLostWakeup_pushRacingWithATimeoutAtTheSameInstant_timebombFirst() {
        pushRacingWithTimeout(false);
    }

    @Test
    public void noLostWakeup_interruptOfTheHeadPopperThenPush() {
        runVirtual(() -> {
            Fifo<String> f = new Fifo<>();
            Coro<Void> a = popper(f, "A");
            Coro<Void> b = popper(f, "B");
            settle();
            a.interrupt("stop");
            f.push("x");
            a.join();
            b.join();
            return null;
        });
        assertEquals(List.of("A interrupted(stop)@0", "B got x", "B ok@0"), trace);
    }

    @Test
    public void noLostWakeup_popperInterruptedAfterTheHandOffPassesTheItemOn() {
        runVirtual(() -> {
            Fifo<String> f = new Fifo<>();
            Coro<Void> a = popper(f, "A");
            Coro<Void> b = popper(f, "B");
            settle();
            f.push("x");         // handed to A
            a.interrupt("stop"); // before A ran: x must go to B
            a.join();
            b.join();
            assertTrue(f.isEmpty());
            return null;
        });
        assertEquals(List.of("A interrupted(stop)@0", "B got x", "B ok@0"), trace);
    }

    @Test
    public void noLostWakeup_pusherInterruptedAfterAdmissionGivesItsSlotOnWithoutAddingItsItem() {
        runVirtual(() -> {
            Fifo<String> f = new Fifo<>(1);
            f.push("0");
            Coro<Void> p1 = pusher(f, "P1", "1");
            Coro<Void> p2 = pusher(f, "P2", "2");
            settle();
            assertEquals("0", f.pop()); // admits P1
            p1.interrupt("stop");       // before P1 ran: its slot goes to P2, its item is not added
            p1.join();
            p2.join();
            assertEquals(List.of("2"), drain(f));
            return null;
        });
        assertEquals(List.of("P1 interrupted(stop)@0", "P2 ok@0"), trace);
    }

    @Test
    public void fifoQueue_pushFromAnyThreadFromSeveralThreadsLosesNothingAndKeepsEachThreadsOrder() throws Exception {
        int threads = 4;
        int perThread = 250;
        // Real time: the coro waits for other OS threads, which virtual time cannot see (see SYNC.md).
        Scheduler s = schedulerBuilder().uncaughtExceptionHandler((c, t) -> uncaught.add(t)).build();
        Fifo<String> f = new Fifo<>(8);
        List<Thread> producers = new ArrayList<>();
        List<CompletableFuture<Void>> lastEntered = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            lastEntered.add(new CompletableFuture<>());
        }
        List<String> got = s.run(() -> {
            for (int t = 0; t < threads; t++) {
                int id = t;
                Thread th = Thread.ofPlatform().name("producer-" + t).start(() -> {
                    CompletableFuture<Void> last = null;
                    for (int i = 0; i < perThread; i++) {
                        last = f.pushFromAnyThread(id + ":" + i);
                    }
                    last.whenComplete((v, e) -> lastEntered.get(id).complete(null));
                });
                producers.add(th);
            }
            List<String> out = new ArrayList<>();
            while (out.size() < threads * perThread) {
                out.addAll(f.popAll());
            }
            return out;
        });
        for (Thread th : producers) {
            th.join();
        }
        s.close();
        assertEquals(threads * perThread, got.size(), "items lost or doubled");
        for (int t = 0; t < threads; t++) {
            int next = 0;
            for (String x : got) {
                if (x.startsWith(t + ":")) {
                    assertEquals(t + ":" + next, x, "thread " + t + "'s items out of order");
                    next++;
                }
            }
            assertEquals(perThread, next);
            assertTrue(lastEntered.get(t).isDone(), "the future of thread " + t + "'s last push never completed");
        }
        assertEquals(List.of(), uncaught);
    }

    @Test
    public void fifoQueue_pollNeverWaits() {
        runVirtual(() -> {
            Fifo<String> f = new Fifo<>();
            assertNull(f.poll());
            f.push("a");
            assertEquals("a", f.poll());
            return null;
        });
    }
}
