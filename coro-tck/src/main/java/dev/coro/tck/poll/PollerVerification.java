package dev.coro.tck.poll;

import dev.coro.spi.Poller;
import dev.coro.tck.KitBounds;
import dev.coro.tck.KitRunSettings;
import dev.coro.tck.Leaks;
import dev.coro.tck.Rule;
import dev.coro.tck.RuleBrokenError;
import dev.coro.tck.RuleNamingExtension;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * SPEC.md §4 poller rules (SPEC.md#poller) and the sentences of the {@link Poller} SPI javadoc,
 * against a poller over socket pairs and pipes. A poller's test class extends this and opens its
 * poller in {@link #openPoller()}.
 *
 * <p>Rules checked ({@link Rule}): {@code pollOnce} (a readiness fires once per registration; poll
 * returns how many it handed), {@code pollNoneLost} (none lost, none after a cancel, none without its
 * op, under random scripts of register READ/WRITE (both on one channel) / cancel (also of a
 * registration already reported, as the scheduler does after every wait) / write / close (behind the
 * poller's back, or by an owner who says so with {@code closedByOwner}) / wake-up / poll, long
 * scripts on one poller, and hundreds of channels ready at once; a channel closed behind the
 * poller's back has its registrations reported CLOSED), {@code pollCount} (registrations() after every step),
 * {@code pollTimeout} (poll(t) with nothing ready waits no less than t − 1 ms and no more than
 * t + {@link #timeoutOvershootBound()}; 0 does not wait; negative waits for readiness or a wake-up,
 * with at most one early return in a row with nothing handed: an idle loop never spins),
 * {@code pollWakeup} (from another thread; made before the poll, on the same thread, it returns that
 * poll promptly, and only that one), {@code pollClose} (close after every feature was used cancels
 * what is left, is idempotent, and leaves no fd or thread, counted by identity).
 *
 * <p>Invariants: every channel and poller opened here is closed; waits are bounded polls that return
 * as soon as readiness is there (no sleep synchronises anything); every check runs under
 * {@link #hangBound()}; a failure is a {@link RuleBrokenError}, naming its rule once, with the steps
 * that led to it.
 */
@ExtendWith(RuleNamingExtension.class)
public abstract class PollerVerification implements PollerRules {

    /** A new poller of the kind under test. */
    protected abstract Poller openPoller() throws IOException;

    /** How long a poll waits for readiness already there, or a wake-up, before it counts as lost. A bound, not a timing assertion. */
    protected Duration readinessBound() {
        return Duration.ofSeconds(10);
    }

    /** How much later than its timeout a timed poll may return (and a woken poll may take). Stated in the rule. */
    protected Duration timeoutOvershootBound() {
        return Duration.ofSeconds(1);
    }

    /** How many channels are made ready at once (each a pipe: two fds). More than any small internal buffer. */
    protected int manyChannels() {
        return 400;
    }

    /** How long a check may take before it counts as a hang. */
    protected Duration hangBound() {
        return Duration.ofSeconds(60);
    }

    /** How long threads a closed poller started get to end before they count as left behind. */
    protected Duration closeBound() {
        return Duration.ofSeconds(10);
    }

    /** Socket pairs: the near end is registered, the far end writes to it. */
    private static final class Channels implements AutoCloseable {
        final SocketChannel[] near;
        final SocketChannel[] far;

        final ServerSocketChannel server;

        Channels(int n) throws IOException {
            near = new SocketChannel[n];
            far = new SocketChannel[n];
            server = ServerSocketChannel.open();
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), n);
            for (int i = 0; i < n; i++) {
                open(i);
            }
        }

        /** A fresh pair at {@code i} (after the old one was closed). */
        void open(int i) throws IOException {
            if (far[i] != null) {
                far[i].close();
            }
            near[i] = SocketChannel.open(server.getLocalAddress());
            far[i] = server.accept();
            near[i].configureBlocking(false);
            far[i].configureBlocking(false);
        }

        void write(int i) throws IOException {
            far[i].write(ByteBuffer.wrap(new byte[]{1}));
        }

        @Override
        public void close() throws IOException {
            server.close();
            for (int i = 0; i < near.length; i++) {
                if (near[i] != null) {
                    near[i].close();
                }
                if (far[i] != null) {
                    far[i].close();
                }
            }
        }
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
                if (p != null) {
                    p.source().close();
                    p.sink().close();
                }
            }
        }
    }

    /** Which registration: channel, op, and its serial number. */
    private record Tag(int channel, int op, int serial) {
        @Override
        public String toString() {
            return "c" + channel + (op == Poller.WRITE ? "w" : "r") + "#" + serial;
        }
    }

    /** A registration's channel and op: at most one is armed per key. */
    private record Key(int channel, int op) {
    }

    private static final java.util.Comparator<Key> KEY_ORDER =
            java.util.Comparator.comparingInt(Key::channel).thenComparingInt(Key::op);

    // ---- scripts ----

    @Override
    @Property(tries = 60)
    @AddLifecycleHook(KitRunSettings.class)
    public void pollOnce_readinessFiresOncePerRegistration(@ForAll("scripts") PollScript script) {
        // A fixed shape: register every channel for READ, write to some, poll until all written ones
        // reported, poll twice more (nothing may come), register again, poll (each written one once more).
        bounded(Rule.POLLER_ONCE, () -> runScript(script, Rule.POLLER_ONCE, true));
    }

    @Override
    @Property(tries = 100)
    @AddLifecycleHook(KitRunSettings.class)
    public void pollNoneLost_randomInterleavingsLoseNoReadiness(@ForAll("scripts") PollScript script) {
        bounded(Rule.POLLER_NONE_LOST, () -> runScript(script, Rule.POLLER_NONE_LOST, false));
    }

    @Override
    @Property(tries = 5)
    @AddLifecycleHook(KitRunSettings.class)
    public void pollNoneLost_longScriptsOnOnePollerLoseNoReadiness(@ForAll("longScripts") PollScript script) {
        bounded(Rule.POLLER_NONE_LOST, () -> runScript(script, Rule.POLLER_NONE_LOST, false));
    }

    @Provide
    Arbitrary<PollScript> scripts() {
        return scripts(6, 0, 40);
    }

    /** A few hundred steps on one poller in the default run; thousands in a deep run (-Dcoro.tck.tries). */
    @Provide
    Arbitrary<PollScript> longScripts() {
        boolean deep = System.getProperty(KitRunSettings.TRIES) != null;
        return scripts(4, deep ? 5_000 : 1_500, deep ? 10_000 : 3_000);
    }

    private static Arbitrary<PollScript> scripts(int maxChannels, int minSteps, int maxSteps) {
        Arbitrary<PollScript.Action> action = Arbitraries.frequency(
                Tuple.of(6, PollScript.Action.REGISTER),
                Tuple.of(2, PollScript.Action.CANCEL),
                Tuple.of(2, PollScript.Action.CANCEL_STALE),
                Tuple.of(3, PollScript.Action.WRITE),
                Tuple.of(1, PollScript.Action.WAKEUP),
                Tuple.of(4, PollScript.Action.POLL),
                Tuple.of(1, PollScript.Action.CLOSE),
                Tuple.of(1, PollScript.Action.OWNER_CLOSE),
                Tuple.of(1, PollScript.Action.NOTICE));
        Arbitrary<PollScript.Step> step = Combinators.combine(action, Arbitraries.integers().between(0, maxChannels - 1),
                Arbitraries.of(Poller.READ, Poller.WRITE)).as(PollScript.Step::new);
        return Combinators.combine(Arbitraries.integers().between(1, maxChannels),
                        step.list().ofMinSize(minSteps).ofMaxSize(maxSteps))
                .as((n, steps) -> new PollScript(n, steps.stream()
                        .map(s -> new PollScript.Step(s.action(), s.channel() % n, s.op())).toList()));
    }

    /** What a script run knows: the model, and the log of what happened. */
    private final class ScriptRun {
        final PollScript script;
        final Rule rule;
        final Poller poller;
        final Channels channels;
        final Map<Key, Tag> armed = new HashMap<>();
        final Map<Key, Tag> stale = new HashMap<>();         // the latest registration per key that ended
        final Map<Tag, Poller.Registration> regs = new HashMap<>();
        final Set<Integer> readable = new HashSet<>();
        final Set<Integer> closed = new HashSet<>();
        final Set<Tag> reported = new HashSet<>();
        final List<String> log = new ArrayList<>();
        int serial;

        ScriptRun(PollScript script, Rule rule, Poller poller, Channels channels) {
            this.script = script;
            this.rule = rule;
            this.poller = poller;
            this.channels = channels;
        }

        /** Whether the armed registration {@code t} may be (and must eventually be) reported. */
        boolean due(Tag t) {
            return closed.contains(t.channel()) || t.op() == Poller.WRITE || readable.contains(t.channel());
        }

        void register(int ch, int op) throws IOException {
            Key k = new Key(ch, op);
            if (armed.containsKey(k)) {
                return;
            }
            if (closed.contains(ch)) {
                if (armed.keySet().stream().anyMatch(a -> a.channel() == ch)) {
                    return; // its registrations have yet to be reported CLOSED
                }
                // A new connection in the closed one's place, so that long scripts do not run out of channels.
                channels.open(ch);
                closed.remove(ch);
                readable.remove(ch);
                log.add("  (c" + ch + " reopened: a new connection)");
            }
            Tag t = new Tag(ch, op, serial++);
            regs.put(t, poller.register(channels.near[ch], op, t));
            armed.put(k, t);
        }

        void step(PollScript.Step s) throws IOException {
            log.add(s.toString());
            Key k = new Key(s.channel(), s.op());
            switch (s.action()) {
                case REGISTER -> register(s.channel(), s.op());
                case CANCEL -> {
                    Tag t = armed.remove(k);
                    if (t != null) {
                        log.add("  (cancels " + t + ", twice: idempotent)");
                        regs.get(t).cancel();
                        regs.get(t).cancel();
                        stale.put(k, t);
                    }
                }
                case CANCEL_STALE -> {
                    // The latest registration of the key that already ended (reported or cancelled):
                    // the scheduler cancels after every wait, however it ended, and a newer
                    // registration of the same channel and op may be armed meanwhile. A no-op.
                    Key which = stale.containsKey(k) ? k : stale.keySet().stream()
                            .filter(armed::containsKey).min(KEY_ORDER)
                            .orElse(stale.keySet().stream().min(KEY_ORDER).orElse(k));
                    Tag t = stale.get(which);
                    k = which;
                    if (t != null) {
                        log.add("  (cancels " + t + ", which already ended" + (armed.containsKey(k)
                                ? "; " + armed.get(k) + " is armed)" : ")"));
                        regs.get(t).cancel();
                    }
                }
                case WRITE -> {
                    if (!closed.contains(s.channel())) {
                        channels.write(s.channel());
                        readable.add(s.channel());
                    }
                }
                case CLOSE -> {
                    channels.near[s.channel()].close();
                    closed.add(s.channel());
                }
                case OWNER_CLOSE -> {
                    if (!closed.contains(s.channel())) {
                        channels.near[s.channel()].close();
                        poller.closedByOwner(channels.near[s.channel()]);
                        closed.add(s.channel());
                        for (int op : new int[]{Poller.READ, Poller.WRITE}) {
                            Tag t = armed.remove(new Key(s.channel(), op));
                            if (t != null) {
                                log.add("  (the owner cancels " + t + ")");
                                regs.get(t).cancel();
                                stale.put(new Key(s.channel(), op), t);
                            }
                        }
                    }
                }
                case NOTICE -> {
                    if (!closed.contains(s.channel())) {
                        poller.closedByOwner(channels.near[s.channel()]); // open: no effect
                    }
                }
                case WAKEUP -> poller.wakeup();
                case POLL -> pollOnce(0);
            }
            checkCount();
        }

        /** The first registrations() mismatch, thrown at the end unless a lost or doubled readiness shows first. */
        RuleBrokenError countProblem;

        void checkCount() {
            int count = poller.registrations();
            if (count != armed.size() && countProblem == null) {
                // Fewer than the model: one ended without being reported or cancelled (lost). More:
                // one reported or cancelled still counts (registrations() is wrong, or cancel is).
                countProblem = count < armed.size()
                        ? broke(Rule.POLLER_NONE_LOST, "registrations() is " + count + ", but " + armed.size()
                        + " registration(s) are neither reported nor cancelled: " + armed.values()
                        + " (one ended unreported)")
                        : broke(Rule.POLLER_COUNT, "registrations() is " + count + ", but only " + armed.size()
                        + " registration(s) are neither reported nor cancelled: " + armed.values());
            }
        }

        void throwCountProblem() {
            if (countProblem != null) {
                throw countProblem;
            }
        }

        /** Polls until every due registration is reported (bounded), then twice more for strays. */
        void drain() throws IOException {
            long giveUp = System.nanoTime() + readinessBound().toNanos();
            while (armed.values().stream().anyMatch(this::due)) {
                if (System.nanoTime() > giveUp) {
                    throw broke(Rule.POLLER_NONE_LOST, "readiness of " + armed.values().stream().filter(this::due)
                            .toList() + " never reported (READ: the far end wrote; WRITE: always writable; or closed)");
                }
                log.add("poll (until the expected readiness comes)");
                pollOnce(readinessBound().toNanos());
                checkCount();
            }
            for (int i = 0; i < 2; i++) {
                log.add("poll (nothing may come)");
                pollOnce(0);
                checkCount();
            }
        }

        void pollOnce(long timeout) throws IOException {
            List<String> got = new ArrayList<>();
            List<RuleBrokenError> problems = new ArrayList<>();
            int n = poller.poll(timeout, (attachment, ops) -> {
                got.add(attachment + " " + opsName(ops));
                if (!(attachment instanceof Tag t)) {
                    problems.add(broke(Rule.POLLER_NONE_LOST, "reported an attachment it was never given: " + attachment));
                } else if (reported.contains(t)) {
                    problems.add(broke(Rule.POLLER_ONCE, t + " reported twice"));
                } else if (armed.get(new Key(t.channel(), t.op())) != t) {
                    problems.add(broke(Rule.POLLER_NONE_LOST, t + " reported after it was cancelled"));
                } else if (!due(t)) {
                    problems.add(broke(Rule.POLLER_NONE_LOST, t + " reported though c" + t.channel() + " is not ready"));
                } else if (closed.contains(t.channel()) ? (ops & Poller.CLOSED) == 0
                        : (ops & t.op()) == 0 || (ops & Poller.CLOSED) != 0) {
                    problems.add(broke(Rule.POLLER_NONE_LOST, t + " reported with ops " + opsName(ops) + " (expected "
                            + (closed.contains(t.channel()) ? "CLOSED: its channel was closed" : opsName(t.op())) + ")"));
                } else {
                    reported.add(t);
                    armed.remove(new Key(t.channel(), t.op()));
                    stale.put(new Key(t.channel(), t.op()), t);
                }
            });
            log.add("  -> " + got);
            if (!problems.isEmpty()) {
                throw problems.getFirst();
            }
            if (n != got.size()) {
                throw broke(Rule.POLLER_ONCE, "poll returned " + n + " but handed " + got.size()
                        + " readiness event(s) (it returns how many it handed)");
            }
        }

        RuleBrokenError broke(Rule r, String what) {
            List<String> tail = log.size() <= 60 ? log : log.subList(log.size() - 60, log.size());
            String script = this.script.steps().size() <= 60 ? this.script.toString()
                    : this.script.channels() + " channel(s), " + this.script.steps().size() + " step(s)";
            return new RuleBrokenError(r, what + "\n  " + script + "\n  steps" + (tail.size() < log.size()
                    ? " (the last 60 of " + log.size() + ")" : "") + ":\n    " + String.join("\n    ", tail));
        }
    }

    private static String opsName(int ops) {
        List<String> names = new ArrayList<>();
        if ((ops & Poller.READ) != 0) {
            names.add("READ");
        }
        if ((ops & Poller.WRITE) != 0) {
            names.add("WRITE");
        }
        if ((ops & Poller.CLOSED) != 0) {
            names.add("CLOSED");
        }
        return names.isEmpty() ? "0" : String.join("|", names);
    }

    private void runScript(PollScript script, Rule rule, boolean onceShape) throws IOException {
        try (Channels channels = new Channels(script.channels()); Poller poller = openPoller()) {
            ScriptRun run = new ScriptRun(script, rule, poller, channels);
            if (onceShape) {
                for (int c = 0; c < script.channels(); c++) {
                    run.step(new PollScript.Step(PollScript.Action.REGISTER, c, Poller.READ));
                }
                for (PollScript.Step s : script.steps()) {
                    if (s.action() == PollScript.Action.WRITE) {
                        run.step(s);
                    }
                }
                run.step(new PollScript.Step(PollScript.Action.POLL, 0, Poller.READ));
            } else {
                for (PollScript.Step s : script.steps()) {
                    run.step(s);
                }
            }
            run.drain();
            if (onceShape) {
                for (int c = 0; c < script.channels(); c++) {
                    run.log.add("register c" + c + " READ again");
                    run.register(c, Poller.READ);
                }
                run.drain();
            }
            run.throwCountProblem();
        }
    }

    // ---- many at once ----

    @Override
    @Test
    public void pollNoneLost_hundredsOfChannelsReadyAtOnceAreAllReported() {
        bounded(Rule.POLLER_NONE_LOST, this::manyAtOnce);
    }

    private void manyAtOnce() throws IOException {
        int n = manyChannels();
        try (Pipes pipes = new Pipes(n); Poller poller = openPoller()) {
            for (int round = 0; round < 3; round++) {
                Map<Object, Integer> armed = new HashMap<>();
                for (int i = 0; i < n; i++) {
                    Object read = "r" + i + "." + round;
                    poller.register(pipes.pipes[i].source(), Poller.READ, read);
                    armed.put(read, Poller.READ);
                    if (round == 2) { // READ and WRITE ready together: 2n at once
                        Object write = "w" + i + "." + round;
                        poller.register(pipes.pipes[i].sink(), Poller.WRITE, write);
                        armed.put(write, Poller.WRITE);
                    }
                    if (round == 0) {
                        pipes.write(i); // readable for good
                    }
                }
                if (poller.registrations() != armed.size()) {
                    throw new RuleBrokenError(Rule.POLLER_COUNT, "registrations() is " + poller.registrations()
                            + " after " + armed.size() + " registrations");
                }
                int all = armed.size();
                long giveUp = System.nanoTime() + readinessBound().toNanos();
                int polls = 0;
                while (!armed.isEmpty() && System.nanoTime() < giveUp) {
                    polls++;
                    List<String> problems = new ArrayList<>();
                    int[] handed = {0};
                    int got = poller.poll(polls == 1 ? 0 : readinessBound().toNanos(), (a, ops) -> {
                        handed[0]++;
                        Integer want = armed.remove(a);
                        if (want == null) {
                            problems.add(a + " reported twice or never registered");
                        } else if ((ops & want) == 0) {
                            problems.add(a + " reported with ops " + opsName(ops));
                        }
                    });
                    if (!problems.isEmpty()) {
                        throw new RuleBrokenError(Rule.POLLER_ONCE, "with " + all + " registrations ready at once: "
                                + problems.subList(0, Math.min(5, problems.size())));
                    }
                    if (got != handed[0]) {
                        throw new RuleBrokenError(Rule.POLLER_ONCE, "poll returned " + got + " but handed " + handed[0]);
                    }
                }
                if (!armed.isEmpty()) {
                    throw new RuleBrokenError(Rule.POLLER_NONE_LOST, all + " registrations ready at once (round " + round
                            + "): " + armed.size() + " never reported within " + readinessBound() + ", e.g. "
                            + armed.keySet().stream().limit(5).toList());
                }
                if (poller.registrations() != 0) {
                    throw new RuleBrokenError(Rule.POLLER_COUNT, "all " + all + " registrations ready at once were "
                            + "reported, but registrations() is " + poller.registrations());
                }
            }
        }
    }

    // ---- channel closed ----

    @Override
    @Test
    public void pollNoneLost_aChannelClosedBehindThePollersBackIsReportedClosed() {
        // p0: waited once, then closed by its owner, who says so; p1: waited on, closed behind the
        // poller's back; p2: waited on, open. Bounded: a poller that misses the close blocks for ever.
        bounded(Rule.POLLER_NONE_LOST, readinessBound(), () -> {
            List<String> log = new ArrayList<>();
            try (Pipes pipes = new Pipes(3); Poller poller = openPoller()) {
                String once = "p0", closed = "p1", open = "p2";
                poller.register(pipes.pipes[0].source(), Poller.READ, once);
                pipes.write(0);
                log.add("register p0, write p0, poll until p0 reported");
                List<String> got = new ArrayList<>();
                while (got.isEmpty()) {
                    poller.poll(-1, (a, ops) -> got.add(a + " " + opsName(ops)));
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
                        problems.add("reported " + a + " " + opsName(ops));
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
                    poller.poll(-1, (a, ops) -> got.add(a + " " + opsName(ops)));
                }
                if (!got.equals(List.of(open + " READ")) || poller.registrations() != 0) {
                    throw new RuleBrokenError(Rule.POLLER_NONE_LOST, "after a close was reported, the open channel's "
                            + "readiness came as " + got + ", registrations() " + poller.registrations());
                }
            }
        });
    }

    // ---- timeouts ----

    @Override
    @Test
    public void pollTimeout_aTimedPollWithNothingReadyWaitsItsTimeout() {
        bounded(Rule.POLLER_TIMEOUT, () -> {
            try (Pipes pipes = new Pipes(1); Poller poller = openPoller()) {
                poller.register(pipes.pipes[0].source(), Poller.READ, "never ready");
                for (long ms : new long[]{1, 20, 50, 20}) {
                    long start = System.nanoTime();
                    int n = poller.poll(Duration.ofMillis(ms).toNanos(), (a, ops) -> {
                        throw new RuleBrokenError(Rule.POLLER_NONE_LOST, a + " reported though nothing is ready");
                    });
                    long took = System.nanoTime() - start;
                    if (n != 0 || took < Duration.ofMillis(ms - 1).toNanos()
                            || took > Duration.ofMillis(ms).plus(timeoutOvershootBound()).toNanos()) {
                        throw new RuleBrokenError(Rule.POLLER_TIMEOUT, "poll(" + ms + " ms) with nothing ready returned "
                                + n + " after " + took / 1_000 + " µs; it must wait " + ms + " ms (1 ms grain) and no more "
                                + "than " + timeoutOvershootBound() + " longer");
                    }
                }
                long start = System.nanoTime();
                poller.poll(0, (a, ops) -> { });
                long took = System.nanoTime() - start;
                if (took > timeoutOvershootBound().toNanos()) {
                    throw new RuleBrokenError(Rule.POLLER_TIMEOUT, "poll(0) with nothing ready took " + took / 1_000_000
                            + " ms: 0 means do not wait");
                }
            }
        });
    }

    @Override
    @Test
    public void pollTimeout_aPollWithoutTimeoutWaitsForReadinessOrAWakeup() {
        bounded(Rule.POLLER_TIMEOUT, () -> {
            try (Pipes pipes = new Pipes(1); Poller poller = openPoller()) {
                poller.register(pipes.pipes[0].source(), Poller.READ, "p0");
                // Readiness comes from another thread some time later; until then poll(-1) must not
                // return (an idle loop over it would spin). The flag, not the delay, decides.
                for (boolean byWakeup : new boolean[]{false, true}) {
                    AtomicBoolean done = new AtomicBoolean();
                    Thread later = Thread.ofPlatform().name("coro-tck-later").start(() -> {
                        try {
                            Thread.sleep(200); // what is checked: nothing comes back before this
                            done.set(true);
                            if (byWakeup) {
                                poller.wakeup();
                            } else {
                                pipes.write(0);
                            }
                        } catch (InterruptedException | IOException e) {
                            done.set(true);
                        }
                    });
                    List<Object> got = new ArrayList<>();
                    int early = 0;
                    while (true) {
                        int n = poller.poll(-1, (a, ops) -> got.add(a));
                        if (!done.get()) {
                            // One early return with nothing handed is tolerated (a poller may drop a
                            // stale interest that way: nio does); two in a row is a spinning idle loop.
                            if (++early > 1 || n != 0 || !got.isEmpty()) {
                                throw new RuleBrokenError(Rule.POLLER_TIMEOUT, "poll(-1) returned " + n + " " + got
                                        + " with nothing ready and no wakeup(), " + early + " time(s) in a row: a "
                                        + "negative timeout waits for readiness or a wake-up (an idle loop must not spin)");
                            }
                            continue;
                        }
                        if (byWakeup || !got.isEmpty()) {
                            break;
                        }
                    }
                    joinUninterruptibly(later);
                    if (!byWakeup && !got.equals(List.of("p0"))) {
                        throw new RuleBrokenError(Rule.POLLER_NONE_LOST, "poll(-1) ended by readiness of p0 handed " + got);
                    }
                }
            }
        });
    }

    // ---- wakeup ----

    @Override
    @Test
    public void pollWakeup_wakeupFromAnotherThreadReturnsABlockedPoll() {
        for (int attempt = 0; attempt < 5; attempt++) {
            bounded(Rule.POLLER_WAKEUP, readinessBound(), () -> {
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
                    joinUninterruptibly(waker);
                    if (n != 0) {
                        throw new RuleBrokenError(Rule.POLLER_WAKEUP, "a poll ended by wakeup() returned " + n);
                    }
                }
            });
        }
    }

    @Override
    @Test
    public void pollWakeup_aWakeupBeforeThePollReturnsThatPollPromptlyAndOnlyThatOne() {
        bounded(Rule.POLLER_WAKEUP, () -> {
            try (Pipes pipes = new Pipes(1); Poller poller = openPoller()) {
                poller.register(pipes.pipes[0].source(), Poller.READ, "never ready");
                for (int wakeups = 1; wakeups <= 2; wakeups++) {
                    for (int i = 0; i < wakeups; i++) {
                        poller.wakeup(); // same thread, before the poll: no race
                    }
                    Duration longer = readinessBound().plus(timeoutOvershootBound()); // than "promptly"
                    long start = System.nanoTime();
                    int n = poller.poll(longer.toNanos(), (a, ops) -> { });
                    long took = System.nanoTime() - start;
                    if (n != 0 || took > timeoutOvershootBound().toNanos()) {
                        throw new RuleBrokenError(Rule.POLLER_WAKEUP, wakeups + " wakeup() before a poll(" + longer
                                + "): it returned " + n + " after " + took / 1_000_000 + " ms; the next poll must return "
                                + "promptly (within " + timeoutOvershootBound() + ")");
                    }
                    start = System.nanoTime();
                    n = poller.poll(Duration.ofMillis(30).toNanos(), (a, ops) -> { });
                    took = System.nanoTime() - start;
                    if (n != 0 || took < Duration.ofMillis(29).toNanos()) {
                        throw new RuleBrokenError(Rule.POLLER_WAKEUP, "after " + wakeups + " wakeup() woke one poll, the "
                                + "poll after it returned after " + took / 1_000 + " µs instead of its 30 ms: a wake-up is "
                                + "for the current or next poll only");
                    }
                }
            }
        });
    }

    // ---- close ----

    @Override
    @Test
    public void pollOnce_anInterestIsArmedOncePerWaitAndItsCancelEndsOnlyItsArming() {
        bounded(Rule.POLLER_ONCE, () -> {
            try (Pipes pipes = new Pipes(1)) {
                Poller poller = openPoller();
                try {
                    Poller.Interest in = poller.interest(pipes.pipes[0].source());
                    List<String> got = new ArrayList<>();
                    Poller.ReadySink sink = (a, ops) -> got.add(a + ":" + ops);
                    in.register(Poller.READ, "first");
                    expectRegistrations(poller, 1, "an armed interest");
                    pipes.write(0);
                    pollUntilSeen(poller, sink, got, 1);
                    expectSeen(got, List.of("first:" + Poller.READ), "the first arming");
                    expectRegistrations(poller, 0, "a reported interest");
                    try {
                        in.register(Poller.READ, "again");
                        throw new RuleBrokenError(Rule.POLLER_ONCE, "an interest armed again before its cancel was accepted");
                    } catch (IllegalStateException expected) {
                        // one waiter at a time: the waiter cancels when its wait ends
                    }
                    in.cancel();
                    in.cancel();
                    in.register(Poller.READ, "second"); // the byte is still unread: reported again
                    pollUntilSeen(poller, sink, got, 2);
                    expectSeen(got, List.of("first:" + Poller.READ, "second:" + Poller.READ), "the second arming");
                    in.cancel();
                    in.register(Poller.READ, "third");
                    in.cancel();
                    expectRegistrations(poller, 0, "an interest cancelled before any poll");
                    poller.poll(0, sink);
                    poller.poll(0, sink);
                    expectSeen(got, List.of("first:" + Poller.READ, "second:" + Poller.READ), "a cancelled arming");
                } finally {
                    poller.close();
                }
            }
        });
    }

    private void pollUntilSeen(Poller poller, Poller.ReadySink sink, List<String> got, int n) throws IOException {
        long giveUp = System.nanoTime() + readinessBound().toNanos();
        while (got.size() < n && System.nanoTime() - giveUp < 0) {
            poller.poll(readinessBound().toNanos(), sink);
        }
    }

    private static void expectSeen(List<String> got, List<String> want, String what) {
        if (!got.equals(want)) {
            throw new RuleBrokenError(Rule.POLLER_ONCE, what + ": reported " + got + ", expected " + want);
        }
    }

    private static void expectRegistrations(Poller poller, int n, String what) {
        if (poller.registrations() != n) {
            throw new RuleBrokenError(Rule.POLLER_ONCE, what + ": registrations() is " + poller.registrations()
                    + ", expected " + n);
        }
    }

    @Override
    @Test
    public void pollClose_closeCancelsWhatIsLeftAndLeavesNoFd() {
        bounded(Rule.POLLER_CLOSE, () -> {
            try (Pipes pipes = new Pipes(3)) {
                Leaks before = Leaks.snapshot();
                Poller poller = openPoller();
                for (int i = 0; i < 3; i++) {
                    poller.register(pipes.pipes[i].source(), Poller.READ, "p" + i);
                }
                pipes.write(0);
                poller.close();
                if (poller.registrations() != 0) {
                    throw new RuleBrokenError(Rule.POLLER_CLOSE, "after close() registrations() is " + poller.registrations());
                }
                closeAgain(poller);
                leftSince(before, "open, register and close of a poller");
                pollAgain(pipes);
            }
        });
    }

    @Override
    @Test
    public void pollClose_closeAfterEveryFeatureWasUsedLeavesNoFdOrThread() {
        bounded(Rule.POLLER_CLOSE, () -> {
            try (Pipes pipes = new Pipes(3)) {
                Leaks before = Leaks.snapshot();
                Poller poller = openPoller();
                poller.name();
                Poller.Registration read = poller.register(pipes.pipes[0].source(), Poller.READ, "p0 READ");
                poller.register(pipes.pipes[0].sink(), Poller.WRITE, "p0 WRITE");
                poller.register(pipes.pipes[1].source(), Poller.READ, "p1 READ");
                poller.register(pipes.pipes[2].source(), Poller.READ, "p2 READ");
                poller.wakeup();
                poller.poll(0, (a, ops) -> { }); // p0 WRITE, or the wake-up
                Thread waker = Thread.ofPlatform().name("coro-tck-waker").start(poller::wakeup);
                poller.poll(readinessBound().toNanos(), (a, ops) -> { });
                joinUninterruptibly(waker);
                poller.wakeup();
                poller.poll(-1, (a, ops) -> { }); // returns: woken just before
                pipes.write(1);
                poller.poll(readinessBound().toNanos(), (a, ops) -> { });
                read.cancel();
                poller.wakeup(); // left pending
                poller.close();
                if (poller.registrations() != 0) {
                    throw new RuleBrokenError(Rule.POLLER_CLOSE, "after close() registrations() is " + poller.registrations());
                }
                closeAgain(poller);
                leftSince(before, "a poller that registered, cancelled, polled (0, timed, -1) and was woken (before a "
                        + "poll, from another thread, and left pending), then closed");
                pollAgain(pipes);
            }
        });
    }

    private static void closeAgain(Poller poller) {
        try {
            poller.close();
        } catch (RuntimeException | Error e) {
            throw new RuleBrokenError(Rule.POLLER_CLOSE, "a second close() threw " + e + " (close is idempotent)", e);
        }
    }

    private void leftSince(Leaks before, String what) {
        List<String> left = before.leftSince(closeBound());
        if (!left.isEmpty()) {
            throw new RuleBrokenError(Rule.POLLER_CLOSE, what + " left behind (counted by identity):\n    "
                    + String.join("\n    ", left));
        }
    }

    /** The channels of a closed poller can be polled by a new one: close released them. */
    private void pollAgain(Pipes pipes) throws IOException {
        pipes.write(0);
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

    // ---- helpers ----

    /** A check that may throw IOException. */
    @FunctionalInterface
    private interface Check {
        void run() throws IOException;
    }

    private void bounded(Rule rule, Check check) {
        bounded(rule, hangBound(), check);
    }

    private static void bounded(Rule rule, Duration bound, Check check) {
        KitBounds.run(rule, bound, rule.prefix() + " check", () -> {
            try {
                check.run();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    private static void joinUninterruptibly(Thread t) {
        while (true) {
            try {
                t.join();
                return;
            } catch (InterruptedException e) {
                // the check's own bound ends a hang
            }
        }
    }
}
