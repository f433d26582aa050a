package dev.coro.tck.switching;

import dev.coro.spi.Coroutine;
import dev.coro.spi.ResumeOutcome;
import dev.coro.spi.SwitchBackend;
import dev.coro.spi.SwitchProvider;
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
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * SPEC.md §4 switch-backend rules (SPEC.md#switch-backend) and the sentences of the SPI javadoc
 * ({@code SwitchProvider}, {@code SwitchBackend}, {@code Coroutine}, {@code ResumeOutcome}), checked
 * without a scheduler: the kit drives the backend itself through a {@link FakeSwitchHost}. A backend's
 * test class extends this and returns its provider from {@link #switchProvider()}.
 *
 * <p>Rules checked ({@link Rule}): {@code switch} (create, resume, suspend, values and failures,
 * done coroutines, interruptBlocked, independent instances, the provider's description, the declared
 * limit), {@code switchState} (attachment, name, isDone and stack traces across any order of
 * resumes), {@code pinned} (every suspend while pinned throws CoroPinnedException, never a hang),
 * {@code switchClose} (close releases every thread and fd, idempotent).
 *
 * <p>Invariants: every backend opened here is closed; every check runs under {@link #hangBound()}
 * and fails, naming its rule, on a hang or on resource exhaustion; at most
 * {@link SwitchProvider#maxLiveCoroutines()} coroutines are alive at once.
 */
@ExtendWith(RuleNamingExtension.class)
public abstract class SwitchBackendVerification implements SwitchBackendRules {

    /** The wait points of {@link StateScript}s, by index: methods of different depth that suspend. */
    static final List<String> WAIT_POINTS = List.of("suspendedInA", "suspendedInB", "suspendedInC");

    /** The backend under test, e.g. {@code new NativeSwitchProvider()}. */
    protected abstract SwitchProvider switchProvider();

    /**
     * Whether a suspend inside a class initializer is pinned, so must fail with
     * {@link dev.coro.CoroPinnedException}: true for backends over JDK continuations or virtual threads;
     * a backend whose coroutines are threads of their own switches there normally.
     */
    protected boolean pinsInClassInitializer() {
        return true;
    }

    /** How long a check (or one try of a property) may take before it counts as a hang. A bound, not a timing assertion. */
    protected Duration hangBound() {
        return Duration.ofSeconds(60);
    }

    /** How long threads a closed backend started get to end before they count as left behind. */
    protected Duration closeBound() {
        return Duration.ofSeconds(10);
    }

    private SwitchBackend open(FakeSwitchHost host) {
        return switchProvider().open(host);
    }

    private int maxLive() {
        return Math.max(1, switchProvider().maxLiveCoroutines());
    }

    /** Cross-switch mailbox of one coroutine: the host writes {@code in}, the body writes {@code out}. */
    private static final class Box {
        volatile String in;
        volatile String out;
        volatile int starts;
    }

    private static final class BodyFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        BodyFailure(int k) {
            super("k" + k + " threw", null, false, false);
        }
    }

    @Override
    @Property(tries = 100)
    @AddLifecycleHook(KitRunSettings.class)
    public void switch_valuesAndFailuresCrossTheSwitchInAnyResumeOrder(@ForAll("scripts") SwitchScript script) {
        KitBounds.run(Rule.SWITCH, hangBound(), "the switch script", () -> valuesAndFailures(script));
    }

    private void valuesAndFailures(SwitchScript script) {
        int n = script.yields().size();
        FakeSwitchHost host = new FakeSwitchHost();
        SwitchBackend b = open(host);
        List<String> steps = new ArrayList<>();
        try {
            Box[] boxes = new Box[n];
            int[] lastRan = {-1};
            BodyFailure[] failures = new BodyFailure[n];
            Coroutine[] cs = new Coroutine[n];
            int[] resumes = new int[n];
            Object[] attachments = new Object[n];
            for (int i = 0; i < n; i++) {
                int k = i;
                boxes[k] = new Box();
                failures[k] = new BodyFailure(k);
                cs[k] = b.create("k" + k, () -> {
                    boxes[k].starts++;
                    for (int step = 0; step < script.yields().get(k); step++) {
                        lastRan[0] = k;
                        if (!("in k" + k + "." + step).equals(boxes[k].in)) {
                            boxes[k].out = "k" + k + " read " + boxes[k].in + " instead of in k" + k + "." + step;
                            return;
                        }
                        boxes[k].out = "out k" + k + "." + step;
                        b.suspend();
                    }
                    lastRan[0] = k;
                    boxes[k].out = "done k" + k;
                    if (script.throwsAtEnd().get(k)) {
                        throw failures[k];
                    }
                }, attachments[k] = new Object());
                if (cs[k].isDone() || cs[k].attachment() != attachments[k] || !("k" + k).equals(cs[k].name())) {
                    fail(steps, "create(k" + k + ") gave a coroutine that is done, lost its attachment or its name");
                }
            }
            for (int k = 0; k < n; k++) {
                if (boxes[k].starts != 0) {
                    fail(steps, "k" + k + "'s body ran before its first resume (create must give a suspended coroutine)");
                }
            }
            List<Integer> order = new ArrayList<>();
            script.order().forEach(o -> order.add(Math.floorMod(o, n)));
            for (int round = 0; round < 1_000; round++) {
                for (int i = 0; i < n; i++) {
                    order.add(i); // then round-robin to the end
                }
            }
            for (int k : order) {
                if (cs[k].isDone()) {
                    continue;
                }
                int step = resumes[k]++;
                if (step % 2 == 1) {
                    // Not BLOCKED (the kit's bodies never block): interruptBlocked must change nothing.
                    b.interruptBlocked(cs[k]);
                    steps.add("interruptBlocked k" + k + " (suspended, not blocked)");
                }
                boxes[k].in = "in k" + k + "." + step;
                lastRan[0] = -1;
                ResumeOutcome outcome;
                Throwable thrown = null;
                try {
                    outcome = b.resume(cs[k]);
                } catch (Throwable t) {
                    outcome = null;
                    thrown = t;
                }
                steps.add("resume k" + k + " -> " + (thrown != null ? "threw " + thrown : outcome) + " (k" + k
                        + " wrote " + boxes[k].out + ", last ran k" + lastRan[0] + ")");
                if (lastRan[0] != k) {
                    fail(steps, "resume(k" + k + ") ran k" + lastRan[0] + " instead");
                }
                boolean last = step == script.yields().get(k);
                if (!last) {
                    if (outcome != ResumeOutcome.SUSPENDED || !("out k" + k + "." + step).equals(boxes[k].out)) {
                        fail(steps, "k" + k + " should have suspended having written out k" + k + "." + step);
                    }
                    if (cs[k].isDone()) {
                        fail(steps, "k" + k + " reports done while suspended");
                    }
                } else if (script.throwsAtEnd().get(k)) {
                    if (thrown != failures[k]) {
                        fail(steps, "the body's failure must come out of resume as the same object, got "
                                + (thrown == null ? outcome : thrown));
                    }
                } else if (outcome != ResumeOutcome.DONE || !("done k" + k).equals(boxes[k].out)) {
                    fail(steps, "k" + k + " should have ended (DONE) having written done k" + k);
                }
                if (last && !cs[k].isDone()) {
                    fail(steps, "k" + k + " ended but isDone() is false");
                }
            }
            // ResumeOutcome.DONE: a done coroutine cannot be resumed (SwitchBackend.resume: IllegalStateException).
            Throwable again = null;
            try {
                b.resume(cs[0]);
            } catch (Throwable t) {
                again = t;
            }
            steps.add("resume k0 again after it ended -> " + (again == null ? "returned" : "threw " + again));
            if (!(again instanceof IllegalStateException) || boxes[0].starts != 1) {
                fail(steps, "resume of a done coroutine must throw IllegalStateException and run nothing; it "
                        + (again == null ? "returned" : "threw " + again) + " and the body started "
                        + boxes[0].starts + " time(s)");
            }
            if (!host.wakeups().isEmpty()) {
                fail(steps, "the backend called wakeup() though no body blocked: " + host.wakeups());
            }
        } finally {
            b.close();
        }
    }

    private static void fail(List<String> steps, String what) {
        throw new RuleBrokenError(Rule.SWITCH, what + "\n  steps:\n    " + String.join("\n    ", steps));
    }

    @Provide
    Arbitrary<SwitchScript> scripts() {
        return Arbitraries.integers().between(1, 5).flatMap(n -> Combinators.combine(
                Arbitraries.integers().between(0, 4).list().ofSize(n),
                Arbitraries.of(true, false).list().ofSize(n),
                Arbitraries.integers().between(0, n - 1).list().ofMaxSize(12)).as(SwitchScript::new));
    }

    @Override
    @Property(tries = 30)
    @AddLifecycleHook(KitRunSettings.class)
    public void switch_deepStacksSurviveRoundTrips(@ForAll @IntRange(min = 1, max = 1000) int depth,
                                                   @ForAll @IntRange(min = 1, max = 200) int suspendEvery) {
        KitBounds.run(Rule.SWITCH, hangBound(), "a coroutine " + depth + " frames deep",
                () -> deepStack(depth, suspendEvery));
    }

    private void deepStack(int depth, int suspendEvery) {
        FakeSwitchHost host = new FakeSwitchHost();
        SwitchBackend b = open(host);
        try {
            long[] result = {-1};
            int[] suspends = {0};
            Coroutine c = b.create("deep", () -> result[0] = descend(b, depth, depth, suspendEvery, suspends), null);
            int resumes = 0;
            ResumeOutcome o;
            while ((o = b.resume(c)) == ResumeOutcome.SUSPENDED) {
                if (++resumes > depth + 2) {
                    break;
                }
            }
            long expected = 0;
            for (int level = 1; level <= depth; level++) {
                expected += level * 31L + 7;
            }
            if (o != ResumeOutcome.DONE || result[0] != expected || resumes != suspends[0]) {
                throw new RuleBrokenError(Rule.SWITCH, "a coroutine " + depth + " frames deep, suspending every "
                        + suspendEvery + " frames on the way back, ended " + o + " after " + resumes
                        + " suspensions (it made " + suspends[0] + ") with frame sum " + result[0] + ", expected "
                        + expected + ": frames were lost or corrupted across the switch");
            }
        } finally {
            b.close();
        }
    }

    /** Recurses {@code level} frames; each frame keeps a local that must survive the switches below it. */
    private static long descend(SwitchBackend b, int level, int depth, int every, int[] suspends) {
        long mine = level * 31L + 7;
        long below = level > 1 ? descend(b, level - 1, depth, every, suspends) : 0;
        if (level == 1 || level % every == 0) {
            suspends[0]++;
            b.suspend();
        }
        return mine + below;
    }

    @Override
    @Test
    public void switch_hundredThousandCoroutinesSuspendedAtOnce() {
        // Scaled to what the backend declares it can hold (a thread per coroutine cannot hold 100,000).
        int n = Math.min(100_000, maxLive());
        KitBounds.run(Rule.SWITCH, hangBound(), n + " coroutines suspended at once", () -> manyAtOnce(n));
    }

    private void manyAtOnce(int n) {
        FakeSwitchHost host = new FakeSwitchHost();
        SwitchBackend b = open(host);
        try {
            long[] values = new long[n];
            Coroutine[] cs = new Coroutine[n];
            for (int i = 0; i < n; i++) {
                int k = i;
                cs[k] = b.create("k" + k, () -> {
                    values[k] = k;
                    b.suspend();
                    values[k] += 1;
                }, null);
            }
            for (int i = 0; i < n; i++) {
                if (b.resume(cs[i]) != ResumeOutcome.SUSPENDED) {
                    throw new RuleBrokenError(Rule.SWITCH, "coroutine k" + i + " of " + n + " did not suspend");
                }
            }
            for (int i = 0; i < n; i++) {
                if (cs[i].isDone() || values[i] != i) {
                    throw new RuleBrokenError(Rule.SWITCH, "with " + n + " suspended at once, k" + i
                            + " is done or holds " + values[i]);
                }
            }
            for (int i = 0; i < n; i++) {
                if (b.resume(cs[i]) != ResumeOutcome.DONE || values[i] != i + 1L) {
                    throw new RuleBrokenError(Rule.SWITCH, "coroutine k" + i + " of " + n
                            + " did not end with its value after its second resume");
                }
            }
        } finally {
            b.close();
        }
    }

    @Override
    @Test
    public void switch_backendsOpenAtOnceAreIndependent() {
        KitBounds.run(Rule.SWITCH, hangBound(), "two backends open at once", () -> {
            FakeSwitchHost host = new FakeSwitchHost();
            SwitchBackend a = open(host);
            SwitchBackend b = open(host);
            try {
                if (a == b) {
                    throw new RuleBrokenError(Rule.SWITCH, "open() gave the same backend twice (one instance "
                            + "serves one scheduler run)");
                }
                int[] av = new int[3];
                int[] bv = new int[3];
                Coroutine[] ac = new Coroutine[3];
                Coroutine[] bc = new Coroutine[3];
                for (int i = 0; i < 3; i++) {
                    int k = i;
                    ac[k] = a.create("a" + k, () -> {
                        for (int s = 0; s < 3; s++) {
                            av[k]++;
                            a.suspend();
                        }
                    }, null);
                    bc[k] = b.create("b" + k, () -> {
                        for (int s = 0; s < 3; s++) {
                            bv[k]++;
                            b.suspend();
                        }
                    }, null);
                }
                for (int i = 0; i < 3; i++) {
                    a.resume(ac[i]);
                    b.resume(bc[i]);
                }
                a.close(); // a's coroutines are abandoned; b's must go on
                for (int i = 0; i < 3; i++) {
                    ResumeOutcome o;
                    int resumes = 0;
                    try {
                        while ((o = b.resume(bc[i])) == ResumeOutcome.SUSPENDED && ++resumes < 10) {
                            // to its end
                        }
                    } catch (RuntimeException | Error e) {
                        throw new RuleBrokenError(Rule.SWITCH, "after another backend was closed, resume of b" + i
                                + " threw " + e, e);
                    }
                    if (o != ResumeOutcome.DONE || bv[i] != 3 || av[i] != 1) {
                        throw new RuleBrokenError(Rule.SWITCH, "two backends open at once: b" + i + " ended " + o
                                + " having counted " + bv[i] + " (expected DONE, 3), a" + i + " counted " + av[i]
                                + " (expected 1): one backend's coroutines were run or ended by the other");
                    }
                }
            } finally {
                a.close();
                b.close();
            }
        });
    }

    @Override
    @Test
    public void switch_providerAndBackendDescribeThemselves() {
        KitBounds.run(Rule.SWITCH, hangBound(), "the provider's description", () -> {
            SwitchProvider p = switchProvider();
            Optional<String> unavailable = p.unavailableReason();
            if (unavailable == null || unavailable.isPresent()) {
                throw new RuleBrokenError(Rule.SWITCH, "unavailableReason() of the backend under test is "
                        + unavailable + ": the kit can only check a backend that runs here (give the JVM flags it "
                        + "names in your surefire argLine)");
            }
            if (p.maxLiveCoroutines() < 1) {
                throw new RuleBrokenError(Rule.SWITCH, "maxLiveCoroutines() is " + p.maxLiveCoroutines());
            }
            SwitchBackend b = p.open(new FakeSwitchHost());
            try {
                if (!p.name().equals(b.name())) {
                    throw new RuleBrokenError(Rule.SWITCH, "the provider is named '" + p.name() + "' but its "
                            + "backend '" + b.name() + "' (users select a backend by its provider's name)");
                }
                String d = b.describe();
                if (d == null || d.isBlank() || d.contains("\n") || d.contains("\r")) {
                    throw new RuleBrokenError(Rule.SWITCH, "describe() must be one line for the start log, got "
                            + (d == null ? "null" : "'" + d + "'"));
                }
            } finally {
                b.close();
            }
        });
    }

    @Override
    @Property(tries = 100)
    @AddLifecycleHook(KitRunSettings.class)
    public void switchState_attachmentAndStackTraceStayRightAcrossResumesInAnyOrder(
            @ForAll("stateScripts") StateScript script) {
        KitBounds.run(Rule.SWITCH_STATE, hangBound(), "the state script", () -> state(script));
    }

    private void state(StateScript script) {
        int n = script.waits().size();
        FakeSwitchHost host = new FakeSwitchHost();
        SwitchBackend b = open(host);
        List<String> steps = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        try {
            Coroutine[] cs = new Coroutine[n];
            Object[] attachments = new Object[n];
            int[] at = new int[n];          // the wait point each is in now (-1: not started or ended)
            boolean[] ended = new boolean[n];
            for (int i = 0; i < n; i++) {
                int k = i;
                at[k] = -1;
                attachments[k] = "attachment of k" + k;
                cs[k] = b.create("k" + k, () -> {
                    List<Integer> waits = script.waits().get(k);
                    for (int w = 0; w < waits.size(); w++) {
                        at[k] = waits.get(w);
                        waitAt(b, waits.get(w), w == 0 ? () -> {
                            // Coroutine.stackTrace(): the live frames while it runs.
                            String running = missing(cs[k].stackTrace(), at[k]);
                            if (running != null) {
                                problems.add("k" + k + " running in " + WAIT_POINTS.get(at[k]) + ": " + running);
                            }
                        } : null);
                    }
                    at[k] = -1;
                    ended[k] = true;
                }, attachments[k]);
            }
            List<Integer> order = new ArrayList<>();
            script.order().forEach(o -> order.add(Math.floorMod(o, n)));
            for (int round = 0; round < 40; round++) {
                for (int i = 0; i < n; i++) {
                    order.add(i);
                }
            }
            int position = 0;
            for (int k : order) {
                if (cs[k].isDone()) {
                    continue;
                }
                ResumeOutcome o = b.resume(cs[k]);
                steps.add("resume k" + k + " -> " + o + (at[k] >= 0 ? " in " + WAIT_POINTS.get(at[k]) : ""));
                if (!problems.isEmpty()) {
                    state(steps, script, problems.getFirst());
                }
                for (int j = 0; j < n; j++) {
                    if (cs[j].attachment() != attachments[j] || !("k" + j).equals(cs[j].name())
                            || cs[j].isDone() != ended[j]) {
                        state(steps, script, "k" + j + " has attachment() " + cs[j].attachment() + ", name() "
                                + cs[j].name() + ", isDone() " + cs[j].isDone() + "; expected " + attachments[j]
                                + ", k" + j + ", " + ended[j]);
                    }
                }
                if (at[k] >= 0) {
                    String wrong = missing(cs[k].stackTrace(), at[k]);
                    if (wrong != null) {
                        state(steps, script, "k" + k + " suspended in " + WAIT_POINTS.get(at[k]) + ": " + wrong);
                    }
                }
                int probe = Math.floorMod(script.probes().get(position++ % script.probes().size()), n);
                if (at[probe] >= 0) {
                    // Coroutine.stackTrace() is callable from any thread.
                    AtomicReference<StackTraceElement[]> trace = new AtomicReference<>();
                    Thread t = Thread.ofPlatform().name("coro-tck-stack-probe").start(() -> trace.set(cs[probe].stackTrace()));
                    joinUninterruptibly(t);
                    String wrong = trace.get() == null ? "stackTrace() from another thread threw"
                            : missing(trace.get(), at[probe]);
                    if (wrong != null) {
                        state(steps, script, "k" + probe + " suspended in " + WAIT_POINTS.get(at[probe])
                                + ", seen from another thread: " + wrong);
                    }
                }
            }
        } finally {
            b.close();
        }
    }

    /** Why {@code trace} is not the trace of a coroutine in wait point {@code at}, or null if it is. */
    private static String missing(StackTraceElement[] trace, int at) {
        List<String> methods = trace == null ? List.of() : Arrays.stream(trace).map(StackTraceElement::getMethodName).toList();
        if (!methods.contains(WAIT_POINTS.get(at))) {
            return "its stack trace does not show " + WAIT_POINTS.get(at) + ": " + methods;
        }
        for (int other = 0; other < WAIT_POINTS.size(); other++) {
            if (other != at && methods.contains(WAIT_POINTS.get(other))) {
                return "its stack trace shows " + WAIT_POINTS.get(other) + ", where it is no longer: " + methods;
            }
        }
        return null;
    }

    private static void state(List<String> steps, StateScript script, String what) {
        throw new RuleBrokenError(Rule.SWITCH_STATE, what + "\n  " + script + "\n  steps:\n    "
                + String.join("\n    ", steps));
    }

    private static void waitAt(SwitchBackend b, int point, Runnable whileRunning) {
        switch (point) {
            case 0 -> suspendedInA(b, whileRunning);
            case 1 -> suspendedInB(b, whileRunning);
            default -> suspendedInC(b, whileRunning);
        }
    }

    private static void suspendedInA(SwitchBackend b, Runnable whileRunning) {
        if (whileRunning != null) {
            whileRunning.run();
        }
        b.suspend();
    }

    private static void suspendedInB(SwitchBackend b, Runnable whileRunning) {
        oneFrameDown(b, whileRunning);
    }

    private static void suspendedInC(SwitchBackend b, Runnable whileRunning) {
        twoFramesDown(b, whileRunning);
    }

    private static void oneFrameDown(SwitchBackend b, Runnable whileRunning) {
        if (whileRunning != null) {
            whileRunning.run();
        }
        b.suspend();
    }

    private static void twoFramesDown(SwitchBackend b, Runnable whileRunning) {
        oneFrameDown(b, whileRunning);
    }

    @Provide
    Arbitrary<StateScript> stateScripts() {
        return Arbitraries.integers().between(1, 4).flatMap(n -> Combinators.combine(
                Arbitraries.integers().between(0, 2).list().ofMaxSize(30).list().ofSize(n),
                Arbitraries.integers().between(0, n - 1).list().ofMaxSize(40),
                Arbitraries.integers().between(0, n - 1).list().ofMinSize(1).ofMaxSize(8)).as(StateScript::new));
    }

    @Override
    @Test
    public void switchState_stackTraceOfASuspendedCoroutineShowsWhereItWaits() {
        KitBounds.run(Rule.SWITCH_STATE, hangBound(), "the stack trace of a suspended coroutine", () -> {
            FakeSwitchHost host = new FakeSwitchHost();
            SwitchBackend b = open(host);
            try {
                Coroutine c = b.create("waiter", () -> waitsHere(b), null);
                if (b.resume(c) != ResumeOutcome.SUSPENDED) {
                    throw new RuleBrokenError(Rule.SWITCH, "the waiter did not suspend");
                }
                StackTraceElement[] trace = c.stackTrace();
                boolean found = trace != null && Arrays.stream(trace).anyMatch(e -> e.getMethodName().equals("waitsHere"));
                if (!found) {
                    throw new RuleBrokenError(Rule.SWITCH_STATE, "the stack trace of a coroutine suspended in "
                            + "waitsHere() does not show it: " + Arrays.toString(trace));
                }
                b.resume(c);
            } finally {
                b.close();
            }
        });
    }

    @Override
    @Test
    public void switchState_anUnnamedCoroutineIsNamedByItsHost() {
        KitBounds.run(Rule.SWITCH_STATE, hangBound(), "the names of a named and an unnamed coroutine", () -> {
            FakeSwitchHost host = new FakeSwitchHost();
            SwitchBackend b = open(host);
            try {
                Object attachment = "attachment #7";
                Coroutine named = b.create("given", b::suspend, null);
                Coroutine unnamed = b.create(null, b::suspend, attachment);
                if (!"given".equals(named.name())) {
                    throw new RuleBrokenError(Rule.SWITCH_STATE, "create(\"given\", …).name() is '" + named.name()
                            + "', not the name it was given");
                }
                String expected = host.nameOf(attachment);
                for (int i = 0; i < 2; i++) { // before its first resume and after it
                    if (!expected.equals(unnamed.name())) {
                        throw new RuleBrokenError(Rule.SWITCH_STATE, "create(null, …, attachment).name() is '"
                                + unnamed.name() + "', not the host's nameOf(attachment): '" + expected + "'");
                    }
                    b.resume(unnamed);
                }
                b.resume(named);
                b.resume(named);
            } finally {
                b.close();
            }
        });
    }

    private static void waitsHere(SwitchBackend b) {
        b.suspend();
    }

    @Override
    @Test
    public void pinned_suspendInAClassInitializerIsReportedNotHung() {
        for (int attempt = 0; attempt < 3; attempt++) {
            KitBounds.run(Rule.SWITCH_PINNED, hangBound(), "a suspend in a class initializer", this::suspendInAClassInitializer);
        }
    }

    private void suspendInAClassInitializer() {
        FakeSwitchHost host = new FakeSwitchHost();
        SwitchBackend b = open(host);
        try {
            boolean[] after = {false};
            List<List<String>> outcomes = new ArrayList<>();
            Coroutine c = b.create("pinned", () -> {
                outcomes.add(PinProbe.initializeFreshCopy(b, 1));
                after[0] = true;
            }, null);
            ResumeOutcome first = b.resume(c);
            if (pinsInClassInitializer()) {
                if (first != ResumeOutcome.DONE || !after[0] || !outcomes.getFirst().equals(List.of("CoroPinnedException"))) {
                    throw new RuleBrokenError(Rule.SWITCH_PINNED, "a suspend in a class initializer should throw "
                            + "CoroPinnedException (with a message saying why) without switching; it gave "
                            + (outcomes.isEmpty() ? "nothing yet" : outcomes.getFirst()) + " and resume gave " + first);
                }
            } else {
                ResumeOutcome second = first == ResumeOutcome.SUSPENDED ? b.resume(c) : first;
                if (first != ResumeOutcome.SUSPENDED || second != ResumeOutcome.DONE
                        || !outcomes.getFirst().equals(List.of("returned"))) {
                    throw new RuleBrokenError(Rule.SWITCH_PINNED, "a backend that does not pin in class initializers "
                            + "should switch there normally; resume gave " + first + " then " + second
                            + ", suspend gave " + outcomes);
                }
            }
        } finally {
            b.close();
        }
    }

    @Override
    @Test
    public void pinned_everySuspendWhilePinnedThrowsInEveryCoroutine() {
        KitBounds.run(Rule.SWITCH_PINNED, hangBound(), "repeated suspends while pinned", this::everyPinnedSuspend);
    }

    private void everyPinnedSuspend() {
        int n = Math.min(3, maxLive());
        int rounds = 4;
        int attempts = 3;
        FakeSwitchHost host = new FakeSwitchHost();
        SwitchBackend b = open(host);
        try {
            List<List<List<String>>> outcomes = new ArrayList<>();
            Coroutine[] cs = new Coroutine[n];
            for (int i = 0; i < n; i++) {
                List<List<String>> mine = new ArrayList<>();
                outcomes.add(mine);
                cs[i] = b.create("pinned" + i, () -> {
                    for (int r = 0; r < rounds; r++) {
                        b.suspend(); // a normal switch between the pinned ones
                        mine.add(PinProbe.initializeFreshCopy(b, attempts));
                    }
                }, null);
            }
            int[] resumes = new int[n];
            if (pinsInClassInitializer()) {
                boolean left = true;
                for (int round = 0; left && round < 100; round++) {
                    left = false;
                    for (int i = 0; i < n; i++) {
                        if (!cs[i].isDone()) {
                            b.resume(cs[i]);
                            resumes[i]++;
                            left = true;
                        }
                    }
                }
            } else {
                // One at a time: a coroutine that switches inside a class initializer keeps its thread
                // there, and virtual threads in initializers pin their carriers (two would stall a
                // two-core JVM's virtual threads, the kit's own included).
                for (int i = 0; i < n; i++) {
                    while (!cs[i].isDone() && resumes[i] < 100) {
                        b.resume(cs[i]);
                        resumes[i]++;
                    }
                }
            }
            String expected = pinsInClassInitializer() ? "CoroPinnedException" : "returned";
            int expectedResumes = pinsInClassInitializer() ? rounds + 1 : rounds * (attempts + 1) + 1;
            for (int i = 0; i < n; i++) {
                boolean right = cs[i].isDone() && resumes[i] == expectedResumes && outcomes.get(i).size() == rounds
                        && outcomes.get(i).stream().allMatch(o -> o.size() == attempts
                        && o.stream().allMatch(expected::equals));
                if (!right) {
                    throw new RuleBrokenError(Rule.SWITCH_PINNED, n + " coroutines each made " + rounds + " rounds "
                            + "of a normal suspend then " + attempts + " suspends in a class initializer; every one of "
                            + "those should give " + expected + (pinsInClassInitializer() ? " (no switch)" : "")
                            + ". pinned" + i + " needed " + resumes[i] + " resumes (expected " + expectedResumes
                            + "), done " + cs[i].isDone() + ", and its suspends in the initializer gave " + outcomes.get(i));
                }
            }
        } finally {
            b.close();
        }
    }

    @Override
    @Test
    public void switchClose_closeReleasesEveryThreadAndFdAfterEveryFeatureWasUsed() {
        KitBounds.run(Rule.SWITCH_CLOSE, hangBound(), "close after every feature was used", this::closeAfterEverything);
    }

    private void closeAfterEverything() {
        Leaks before = Leaks.snapshot();
        SwitchProvider p = switchProvider();
        p.unavailableReason(); // "cheap; no side effects": nothing it starts may be left either
        FakeSwitchHost host = new FakeSwitchHost();
        SwitchBackend b = p.open(host);
        b.describe();
        Object monitor = new Object();
        Thread holder = null;
        try {
            List<Coroutine> cs = new ArrayList<>();
            cs.add(b.create("never started", () -> { }, null));
            Coroutine suspended = b.create("suspended", () -> {
                descend(b, 50, 50, 1_000, new int[1]);
            }, null);
            cs.add(suspended);
            Coroutine done = b.create("done", () -> b.suspend(), null);
            cs.add(done);
            Coroutine failed = b.create("failed", () -> {
                throw new IllegalStateException("the kit's failing body");
            }, null);
            cs.add(failed);
            b.resume(suspended);
            b.resume(done);
            b.resume(done);
            try {
                b.resume(failed);
            } catch (RuntimeException expected) {
                // the body's failure, as it should (checked by switch_valuesAndFailures…)
            }
            if (pinsInClassInitializer()) {
                Coroutine pinned = b.create("pinned", () -> PinProbe.initializeFreshCopy(b, 2), null);
                b.resume(pinned);
            }
            // A body blocked in a JDK call (a monitor another thread holds): loom reports it BLOCKED
            // and wakes the host; native blocks the scheduler thread until the holder lets go.
            java.util.concurrent.atomic.AtomicBoolean release = new java.util.concurrent.atomic.AtomicBoolean();
            Thread scheduler = Thread.currentThread();
            Thread[] blockedIn = new Thread[1]; // written by the coroutine before it blocks; read by the holder's poll
            java.util.concurrent.CountDownLatch held = new java.util.concurrent.CountDownLatch(1);
            holder = Thread.ofPlatform().name("coro-tck-monitor-holder").start(() -> {
                synchronized (monitor) {
                    held.countDown();
                    long giveUp = System.nanoTime() + 10_000_000_000L;
                    while (System.nanoTime() < giveUp && !release.get() && !blockedOnMonitor(scheduler, blockedIn[0])) {
                        LockSupport.parkNanos(100_000); // polls a condition; the release itself is the sync
                    }
                }
            });
            awaitUninterruptibly(held);
            Coroutine blocker = b.create("blocked in a JDK call", () -> {
                blockedIn[0] = Thread.currentThread();
                synchronized (monitor) {
                    monitor.notifyAll();
                }
            }, null);
            ResumeOutcome o = b.resume(blocker);
            if (o == ResumeOutcome.BLOCKED) {
                b.interruptBlocked(blocker); // a monitor enter is not interruptible: it stays blocked
                release.set(true);
                long giveUp = System.nanoTime() + closeBound().toNanos();
                while (!host.wakeups().contains(blocker) && System.nanoTime() < giveUp) {
                    LockSupport.parkNanos(100_000);
                }
                o = b.resume(blocker);
            }
            cs.add(blocker);
            joinUninterruptibly(holder);
            // Dumps: every coroutine's trace, from the scheduler thread and from another.
            for (Coroutine c : cs) {
                c.stackTrace();
            }
            Thread dumper = Thread.ofPlatform().name("coro-tck-dumper").start(() -> cs.forEach(Coroutine::stackTrace));
            joinUninterruptibly(dumper);
        } finally {
            b.close();
        }
        try {
            b.close();
        } catch (RuntimeException | Error e) {
            throw new RuleBrokenError(Rule.SWITCH_CLOSE, "a second close() threw " + e + " (close is idempotent)", e);
        }
        List<String> left = before.leftSince(closeBound());
        if (!left.isEmpty()) {
            throw new RuleBrokenError(Rule.SWITCH_CLOSE, "after close(), " + closeBound() + " later, these are left "
                    + "(counted by identity):\n    " + String.join("\n    ", left));
        }
    }

    private static boolean blockedOnMonitor(Thread scheduler, Thread coroutine) {
        return scheduler.getState() == Thread.State.BLOCKED
                || (coroutine != null && coroutine != scheduler && coroutine.getState() == Thread.State.BLOCKED);
    }

    private static void joinUninterruptibly(Thread t) {
        boolean interrupted = false;
        while (true) {
            try {
                t.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private static void awaitUninterruptibly(java.util.concurrent.CountDownLatch latch) {
        while (true) {
            try {
                latch.await();
                return;
            } catch (InterruptedException e) {
                // the check's own bound ends a hang; keep waiting
            }
        }
    }
}
