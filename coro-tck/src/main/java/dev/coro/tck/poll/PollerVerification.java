package dev.coro.tck.poll;

import dev.coro.spi.Poller;
import dev.coro.tck.KitRunSettings;
import dev.coro.tck.Rule;
import dev.coro.tck.RuleBrokenError;
import dev.coro.tck.RuleNamingExtension;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * DESIGN.md §4 poller properties against the {@link Poller} SPI, over pipes. A poller's test class
 * extends this and opens its poller in {@link #openPoller()}. Invariants: every pipe and poller
 * opened here is closed; waits are bounded polls that return as soon as readiness is there (never
 * sleeps); a failure is a {@link RuleBrokenError} with the steps that led to it.
 */
@ExtendWith(RuleNamingExtension.class)
public abstract class PollerVerification implements PollerRules {

    /** A new poller of the kind under test. */
    protected abstract Poller openPoller() throws IOException;

    /** How long a poll waits for readiness already there, or a wake-up, before it counts as lost. A bound, not a timing assertion. */
    protected Duration readinessBound() {
        return Duration.ofSeconds(10);
    }

    private static final class Pipes implements AutoCloseable {
        final Pipe[] pipes;

        Pipes(int n) throws IOException {
            pipes = new Pipe[n];
            for (int i = 0; i < n; i++) {
                pipes[i] = Pipe.open();
                pipes[i].source().configureBlocking(false);
                pipes[i].sink().configureBlocking(false);
            }
        }

        void write(int i) throws IOException {
            pipes[i].sink().write(ByteBuffer.wrap(new byte[]{1}));
        }

        @Override
        public void close() throws IOException {
            for (Pipe p : pipes) {
                p.source().close();
                p.sink().close();
            }
        }
    }

    /** What a registration's attachment says: which pipe, and which registration of it. */
    private record Tag(int pipe, int serial) {
        @Override
        public String toString() {
            return "p" + pipe + "#" + serial;
        }
    }

    @Override
    @Property(tries = 60)
    @AddLifecycleHook(KitRunSettings.class)
    public void pollOnce_readinessFiresOncePerRegistration(@ForAll("scripts") PollScript script) throws IOException {
        // A fixed shape: register every pipe, write to some, poll until all written ones reported,
        // poll twice more (nothing may come), register again, poll (each written one once more).
        runScript(script, Rule.POLLER_ONCE, true);
    }

    @Override
    @Property(tries = 100)
    @AddLifecycleHook(KitRunSettings.class)
    public void pollNoneLost_randomInterleavingsLoseNoReadiness(@ForAll("scripts") PollScript script) throws IOException {
        runScript(script, Rule.POLLER_NONE_LOST, false);
    }

    @Provide
    Arbitrary<PollScript> scripts() {
        Arbitrary<PollScript.Action> action = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(3, Arbitraries.just(PollScript.Action.REGISTER)),
                net.jqwik.api.Tuple.of(1, Arbitraries.just(PollScript.Action.CANCEL)),
                net.jqwik.api.Tuple.of(3, Arbitraries.just(PollScript.Action.WRITE)),
                net.jqwik.api.Tuple.of(1, Arbitraries.just(PollScript.Action.WAKEUP)),
                net.jqwik.api.Tuple.of(2, Arbitraries.just(PollScript.Action.POLL)))
                .flatMap(Arbitraries::just);
        Arbitrary<PollScript.Step> step = Combinators.combine(action, Arbitraries.integers().between(0, 3))
                .as(PollScript.Step::new);
        return Combinators.combine(Arbitraries.integers().between(1, 4), step.list().ofMaxSize(20))
                .as((n, steps) -> new PollScript(n, steps.stream()
                        .map(s -> new PollScript.Step(s.action(), s.pipe() % n)).toList()));
    }

    /**
     * Runs {@code script} against a model: a registration is armed until reported or cancelled; a
     * pipe written to is readable for good (nothing reads it). A poll may report only armed
     * registrations of readable pipes, each at most once; at the end every such one must come.
     */
    private void runScript(PollScript script, Rule rule, boolean onceShape) throws IOException {
        List<String> log = new ArrayList<>();
        try (Pipes pipes = new Pipes(script.pipes()); Poller poller = openPoller()) {
            Map<Integer, Tag> armed = new HashMap<>();
            Map<Tag, Poller.Registration> regs = new HashMap<>();
            Set<Integer> readable = new HashSet<>();
            Set<Tag> reported = new HashSet<>();
            int[] serial = {0};
            List<PollScript.Step> steps = new ArrayList<>(script.steps());
            if (onceShape) {
                steps.clear();
                for (int p = 0; p < script.pipes(); p++) {
                    steps.add(new PollScript.Step(PollScript.Action.REGISTER, p));
                }
                script.steps().stream().filter(s -> s.action() == PollScript.Action.WRITE).forEach(steps::add);
                steps.add(new PollScript.Step(PollScript.Action.POLL, 0));
            }
            for (PollScript.Step s : steps) {
                log.add(s.toString());
                switch (s.action()) {
                    case REGISTER -> {
                        if (!armed.containsKey(s.pipe())) {
                            Tag t = new Tag(s.pipe(), serial[0]++);
                            regs.put(t, poller.register(pipes.pipes[s.pipe()].source(), Poller.READ, t));
                            armed.put(s.pipe(), t);
                        }
                    }
                    case CANCEL -> {
                        Tag t = armed.remove(s.pipe());
                        if (t != null) {
                            regs.get(t).cancel();
                            regs.get(t).cancel(); // idempotent
                        }
                    }
                    case WRITE -> {
                        pipes.write(s.pipe());
                        readable.add(s.pipe());
                    }
                    case WAKEUP -> poller.wakeup();
                    case POLL -> pollOnce(poller, 0, armed, readable, reported, log, rule);
                }
                if (poller.registrations() != armed.size()) {
                    throw broke(rule, "registrations() is " + poller.registrations() + ", but " + armed.size()
                            + " registration(s) are neither reported nor cancelled: " + armed.values(), script, log);
                }
            }
            drainExpected(poller, armed, readable, reported, log, rule, script);
            if (onceShape) {
                for (int p = 0; p < script.pipes(); p++) {
                    log.add("register p" + p + " again");
                    Tag t = new Tag(p, serial[0]++);
                    regs.put(t, poller.register(pipes.pipes[p].source(), Poller.READ, t));
                    armed.put(p, t);
                }
                drainExpected(poller, armed, readable, reported, log, rule, script);
            }
        }
    }

    /** Polls until every armed registration of a readable pipe is reported (bounded), then twice more for strays. */
    private void drainExpected(Poller poller, Map<Integer, Tag> armed, Set<Integer> readable, Set<Tag> reported,
                               List<String> log, Rule rule, PollScript script) throws IOException {
        long giveUp = System.nanoTime() + readinessBound().toNanos();
        while (armed.keySet().stream().anyMatch(readable::contains)) {
            if (System.nanoTime() > giveUp) {
                List<Tag> lost = armed.entrySet().stream().filter(e -> readable.contains(e.getKey()))
                        .map(Map.Entry::getValue).toList();
                throw broke(Rule.POLLER_NONE_LOST, "readiness of " + lost + " never reported (the pipes hold data)",
                        script, log);
            }
            log.add("poll (until the expected readiness comes)");
            pollOnce(poller, readinessBound().toNanos(), armed, readable, reported, log, rule);
        }
        for (int i = 0; i < 2; i++) {
            log.add("poll (nothing may come)");
            pollOnce(poller, 0, armed, readable, reported, log, rule);
        }
    }

    private void pollOnce(Poller poller, long timeout, Map<Integer, Tag> armed, Set<Integer> readable,
                          Set<Tag> reported, List<String> log, Rule rule) throws IOException {
        List<String> got = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        int n = poller.poll(timeout, (attachment, ops) -> {
            got.add(attachment + (ops == Poller.READ ? "" : " ops=" + ops));
            if (!(attachment instanceof Tag t)) {
                problems.add("reported an attachment it was never given: " + attachment);
            } else if (reported.contains(t)) {
                problems.add(Rule.POLLER_ONCE.broke() + ": " + t + " reported twice");
            } else if (armed.get(t.pipe()) != t) {
                problems.add(Rule.POLLER_NONE_LOST.broke() + ": " + t + " reported after it was cancelled");
            } else if (!readable.contains(t.pipe())) {
                problems.add(Rule.POLLER_NONE_LOST.broke() + ": " + t + " reported though p" + t.pipe() + " is empty");
            } else if ((ops & Poller.READ) == 0) {
                problems.add(Rule.POLLER_NONE_LOST.broke() + ": " + t + " reported without READ: ops=" + ops);
            } else {
                reported.add(t);
                armed.remove(t.pipe());
            }
        });
        log.add("  -> " + got);
        if (n != got.size()) {
            problems.add("poll returned " + n + " but handed " + got.size() + " readiness event(s)");
        }
        if (!problems.isEmpty()) {
            String first = problems.getFirst();
            Rule r = first.startsWith(Rule.POLLER_ONCE.broke()) ? Rule.POLLER_ONCE
                    : first.startsWith(Rule.POLLER_NONE_LOST.broke()) ? Rule.POLLER_NONE_LOST : rule;
            throw new RuleBrokenError(r, String.join("; ", problems) + "\n  steps:\n    " + String.join("\n    ", log));
        }
    }

    private static RuleBrokenError broke(Rule rule, String what, PollScript script, List<String> log) {
        return new RuleBrokenError(rule, what + "\n  " + script + "\n  steps:\n    " + String.join("\n    ", log));
    }

    @Override
    @Test
    public void pollNoneLost_aChannelClosedBehindThePollersBackIsReportedClosed() {
        // p0: waited once, then closed by its owner, who says so; p1: waited on, closed behind the
        // poller's back; p2: waited on, open. Bounded: a poller that misses the close blocks for ever.
        assertTimeoutPreemptively(readinessBound(), () -> {
            List<String> log = new ArrayList<>();
            try (Pipes pipes = new Pipes(3); Poller poller = openPoller()) {
                Tag once = new Tag(0, 0), closed = new Tag(1, 0), open = new Tag(2, 0);
                poller.register(pipes.pipes[0].source(), Poller.READ, once);
                pipes.write(0);
                log.add("register p0, write p0, poll until p0 reported");
                List<String> got = new ArrayList<>();
                while (got.isEmpty()) {
                    poller.poll(-1, (a, ops) -> got.add(a + " ops=" + ops));
                }
                poller.register(pipes.pipes[1].source(), Poller.READ, closed);
                poller.register(pipes.pipes[2].source(), Poller.READ, open);
                pipes.pipes[0].source().close();
                poller.closedByOwner(pipes.pipes[0].source());
                pipes.pipes[1].source().close();
                log.add("register p1 and p2; close p0 and call closedByOwner(p0); close p1 behind the poller's back; poll(-1)");
                List<String> problems = new ArrayList<>();
                boolean[] seen = {false};
                int n = poller.poll(-1, (a, ops) -> {
                    if (a == closed && (ops & Poller.CLOSED) != 0 && !seen[0]) {
                        seen[0] = true;
                    } else {
                        problems.add("reported " + a + " ops=" + ops);
                    }
                });
                log.add("  -> " + (seen[0] ? closed + " CLOSED " : "") + problems);
                if (!seen[0] || !problems.isEmpty() || n != 1 || poller.registrations() != 1) {
                    throw new RuleBrokenError(Rule.POLLER_NONE_LOST, "the waiter of a channel closed behind the poller's "
                            + "back must be reported CLOSED, alone (poll returned " + n + ", registrations() is "
                            + poller.registrations() + ", expected 1, and 1 left: " + open + ")\n  steps:\n    "
                            + String.join("\n    ", log));
                }
                pipes.write(2);
                got.clear();
                while (got.isEmpty()) {
                    poller.poll(-1, (a, ops) -> got.add(a + " ops=" + ops));
                }
                if (!got.equals(List.of(open + " ops=" + Poller.READ)) || poller.registrations() != 0) {
                    throw new RuleBrokenError(Rule.POLLER_NONE_LOST, "after a close was reported, the open channel's "
                            + "readiness came as " + got + ", registrations() " + poller.registrations());
                }
            }
        }, () -> Rule.POLLER_NONE_LOST.broke() + ": a poll(-1) never reported the waiter of a channel closed behind "
                + "the poller's back");
    }

    @Override
    @Test
    public void pollWakeup_wakeupFromAnotherThreadReturnsABlockedPoll() {
        for (int attempt = 0; attempt < 5; attempt++) {
            assertTimeoutPreemptively(readinessBound(), () -> {
                try (Poller poller = openPoller()) {
                    CountDownLatch polling = new CountDownLatch(1);
                    Thread waker = Thread.ofPlatform().start(() -> {
                        try {
                            polling.await();
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                        poller.wakeup(); // before or during the poll: either way it must return
                    });
                    polling.countDown();
                    int n = poller.poll(-1, (a, ops) -> {
                        throw new RuleBrokenError(Rule.POLLER_WAKEUP, "a wake-up reported readiness " + a);
                    });
                    waker.join();
                    if (n != 0) {
                        throw new RuleBrokenError(Rule.POLLER_WAKEUP, "a poll ended by wakeup() returned " + n);
                    }
                }
            }, () -> Rule.POLLER_WAKEUP.broke() + ": poll(-1) stayed blocked after wakeup() from another thread");
        }
    }

    @Override
    @Test
    public void pollClose_closeCancelsWhatIsLeftAndLeavesNoFd() throws IOException {
        try (Pipes pipes = new Pipes(3)) {
            long before = openFds();
            Poller poller = openPoller();
            for (int i = 0; i < 3; i++) {
                poller.register(pipes.pipes[i].source(), Poller.READ, new Tag(i, 0));
            }
            pipes.write(0);
            poller.close();
            if (poller.registrations() != 0) {
                throw new RuleBrokenError(Rule.POLLER_CLOSE, "after close() registrations() is " + poller.registrations());
            }
            poller.close(); // idempotent
            long after = openFds();
            if (before >= 0 && after != before) { // where /proc/self/fd exists
                throw new RuleBrokenError(Rule.POLLER_CLOSE, "open fds went from " + before + " to " + after
                        + " over open, register and close of a poller: " + (after - before) + " left behind");
            }
            // The pipes are still usable by a new poller: close released them.
            try (Poller next = openPoller()) {
                next.register(pipes.pipes[0].source(), Poller.READ, "again");
                int[] seen = {0};
                long giveUp = System.nanoTime() + readinessBound().toNanos();
                while (seen[0] == 0 && System.nanoTime() < giveUp) {
                    next.poll(readinessBound().toNanos(), (a, ops) -> seen[0]++);
                }
                if (seen[0] != 1) {
                    throw new RuleBrokenError(Rule.POLLER_CLOSE, "a channel of a closed poller could not be polled again");
                }
            }
        }
    }

    /** Entries of /proc/self/fd, or -1 where there is none. */
    private static long openFds() {
        Path fds = Path.of("/proc/self/fd");
        if (!Files.isDirectory(fds)) {
            return -1;
        }
        try (Stream<Path> s = Files.list(fds)) {
            return s.count() - 1; // the listing's own fd
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
