package dev.coro.tck.faults;

import dev.coro.spi.Poller;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.channels.Pipe;
import java.nio.channels.SelectableChannel;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The poller decorator over a scripted inner poller: a spurious readiness is reported once, with
 * the waiter's attachment and ops, and cancels the inner registration first (so the registration
 * is still reported at most once); an interrupted poll returns at once without polling the inner one.
 */
class FaultInjectingPollerTest {

    /** An inner poller that reports what a test queues, and records its polls and cancels. */
    private static final class ScriptedPoller implements Poller {
        final List<Long> polls = new ArrayList<>();
        final List<Object[]> live = new ArrayList<>();
        final List<Object> toReport = new ArrayList<>();
        int cancels;

        @Override
        public String name() {
            return "scripted";
        }

        @Override
        public Registration register(SelectableChannel channel, int ops, Object attachment) {
            Object[] r = {attachment, ops};
            live.add(r);
            return () -> {
                if (live.remove(r)) {
                    cancels++;
                }
            };
        }

        @Override
        public int poll(long timeoutNanos, ReadySink sink) {
            polls.add(timeoutNanos);
            int n = 0;
            for (Object[] r : new ArrayList<>(live)) {
                if (toReport.remove(r[0])) {
                    live.remove(r);
                    sink.ready(r[0], (int) r[1]);
                    n++;
                }
            }
            return n;
        }

        @Override
        public void wakeup() {
        }

        @Override
        public int registrations() {
            return live.size();
        }

        @Override
        public void close() {
        }
    }

    private record Report(Object attachment, int ops) {
    }

    @Test
    void aSpuriousReadinessIsReportedOnceAndCancelsTheInnerRegistration() throws IOException {
        Pipe pipe = Pipe.open();
        try (FaultInjector f = FaultInjector.install(FaultPlan.over("nio").seed(5).spuriousReadiness(1));
             Pipe.SourceChannel source = pipe.source(); Pipe.SinkChannel sink = pipe.sink()) {
            ScriptedPoller inner = new ScriptedPoller();
            FaultInjectingPoller p = new FaultInjectingPoller(f, inner);
            Poller.Interest interest = p.interest(source);
            List<Report> got = new ArrayList<>();
            interest.register(Poller.READ, "waiter");
            assertEquals(1, p.registrations());
            assertEquals(1, p.poll(-1, (a, ops) -> got.add(new Report(a, ops))));
            assertEquals(List.of(new Report("waiter", Poller.READ)), got);
            assertEquals(List.of(0L), inner.polls, "a poll with a spurious readiness to hand out does not wait");
            assertEquals(0, p.registrations(), "the inner registration was cancelled before the report");
            assertEquals(1, inner.cancels);
            interest.cancel(); // the waiter's cancel after the report: harmless
            assertEquals(0, p.poll(-1, (a, ops) -> got.add(new Report(a, ops))), "nothing armed, nothing spurious");
            // Armed again: reported spuriously again, once, with the new attachment and ops.
            interest.register(Poller.WRITE, "again");
            assertEquals(1, p.poll(-1, (a, ops) -> got.add(new Report(a, ops))));
            assertEquals(new Report("again", Poller.WRITE), got.getLast());
            assertEquals(2, f.count(Fault.SPURIOUS_READINESS));
        }
    }

    @Test
    void aRealReadinessIsPassedOnWithTheWaitersAttachment() throws IOException {
        Pipe pipe = Pipe.open();
        try (FaultInjector f = FaultInjector.install(FaultPlan.over("nio").seed(5));
             Pipe.SourceChannel source = pipe.source(); Pipe.SinkChannel sink = pipe.sink()) {
            ScriptedPoller inner = new ScriptedPoller();
            FaultInjectingPoller p = new FaultInjectingPoller(f, inner);
            Poller.Registration r = p.register(source, Poller.READ, "one-shot");
            inner.toReport.add(inner.live.getFirst()[0]); // the inner poller sees our watch, not the waiter's attachment
            List<Report> got = new ArrayList<>();
            assertEquals(1, p.poll(-1, (a, ops) -> got.add(new Report(a, ops))));
            assertEquals(List.of(new Report("one-shot", Poller.READ)), got);
            r.cancel();
            assertEquals(0, p.registrations());
            assertEquals(List.of(-1L), inner.polls, "no fault: the timeout is passed on");
        }
    }

    @Test
    void anInterruptedPollReturnsAtOnceWithoutPollingTheInnerPoller() throws IOException {
        try (FaultInjector f = FaultInjector.install(FaultPlan.over("nio").seed(5).interruptedPolls(1))) {
            ScriptedPoller inner = new ScriptedPoller();
            FaultInjectingPoller p = new FaultInjectingPoller(f, inner);
            assertEquals(0, p.poll(-1, (a, ops) -> {
                throw new AssertionError("nothing to report");
            }));
            assertTrue(inner.polls.isEmpty());
            assertEquals(1, f.count(Fault.INTERRUPTED_POLL));
            f.pause();
            p.poll(5, (a, ops) -> {
            });
            assertEquals(List.of(5L), inner.polls, "paused: polls pass through");
            assertFalse(f.report().contains("nothing injected"), f.report());
        }
    }
}
