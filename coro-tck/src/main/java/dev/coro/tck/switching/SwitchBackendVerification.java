package dev.coro.tck.switching;

import dev.coro.CoroPinnedException;
import dev.coro.spi.Coroutine;
import dev.coro.spi.ResumeOutcome;
import dev.coro.spi.SwitchBackend;
import dev.coro.spi.SwitchProvider;
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
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * DESIGN.md §4 switch-backend properties that need no scheduler: the kit drives the backend itself
 * through a {@link FakeSwitchHost}. A backend's test class extends this and returns its provider
 * from {@link #switchProvider()}. Invariant: every backend opened here is closed, and every failure
 * is a {@link RuleBrokenError} with the steps that led to it.
 */
@ExtendWith(RuleNamingExtension.class)
public abstract class SwitchBackendVerification implements SwitchBackendRules {

    /** The backend under test, e.g. {@code new NativeSwitchProvider()}. */
    protected abstract SwitchProvider switchProvider();

    /**
     * Whether a suspend inside a class initializer is pinned, so must fail with
     * {@link CoroPinnedException}: true for backends over JDK continuations or virtual threads; a
     * backend whose coroutines are threads of their own switches there normally.
     */
    protected boolean pinsInClassInitializer() {
        return true;
    }

    /** How long a check may take before it counts as a hang. A bound on a hang, not a timing assertion. */
    protected Duration hangBound() {
        return Duration.ofSeconds(60);
    }

    private SwitchBackend open(FakeSwitchHost host) {
        return switchProvider().open(host);
    }

    /** Cross-switch mailbox of one coroutine: the host writes {@code in}, the body writes {@code out}. */
    private static final class Box {
        volatile String in;
        volatile String out;
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
                if (cs[k].isDone() || cs[k].attachment() != attachments[k]) {
                    fail(steps, "create(k" + k + ") gave a coroutine that is done or lost its attachment");
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
        int n = 100_000;
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
    public void switch_stackTraceOfASuspendedCoroutineShowsWhereItWaits() {
        FakeSwitchHost host = new FakeSwitchHost();
        SwitchBackend b = open(host);
        try {
            Coroutine c = b.create("waiter", () -> waitsHere(b), null);
            if (b.resume(c) != ResumeOutcome.SUSPENDED) {
                throw new RuleBrokenError(Rule.SWITCH, "the waiter did not suspend");
            }
            StackTraceElement[] trace = c.stackTrace();
            boolean found = Arrays.stream(trace).anyMatch(e -> e.getMethodName().equals("waitsHere"));
            if (!found) {
                throw new RuleBrokenError(Rule.SWITCH, "the stack trace of a coroutine suspended in waitsHere() "
                        + "does not show it: " + Arrays.toString(trace));
            }
            b.resume(c);
        } finally {
            b.close();
        }
    }

    private static void waitsHere(SwitchBackend b) {
        b.suspend();
    }

    @Override
    @Test
    public void pinned_suspendInAClassInitializerIsReportedNotHung() {
        for (int attempt = 0; attempt < 3; attempt++) {
            assertTimeoutPreemptively(hangBound(), this::suspendInAClassInitializer,
                    () -> Rule.SWITCH_PINNED.broke() + ": a suspend in a class initializer hung");
        }
    }

    private void suspendInAClassInitializer() {
        FakeSwitchHost host = new FakeSwitchHost();
        SwitchBackend b = open(host);
        try {
            boolean[] after = {false};
            Coroutine c = b.create("pinned", () -> {
                PinProbe.initializeFreshCopy(b);
                after[0] = true;
            }, null);
            ResumeOutcome first = b.resume(c);
            if (pinsInClassInitializer()) {
                if (!(PinProbe.thrown() instanceof CoroPinnedException) || first != ResumeOutcome.DONE || !after[0]) {
                    throw new RuleBrokenError(Rule.SWITCH_PINNED, "a suspend in a class initializer should throw "
                            + "CoroPinnedException without switching; it " + (PinProbe.thrown() != null
                            ? "threw " + PinProbe.thrown() : PinProbe.returned() ? "returned" : "did not return")
                            + " and resume gave " + first);
                }
                String m = PinProbe.thrown().getMessage();
                if (m == null || m.isBlank()) {
                    throw new RuleBrokenError(Rule.SWITCH_PINNED, "CoroPinnedException without a message saying why");
                }
            } else {
                ResumeOutcome second = first == ResumeOutcome.SUSPENDED ? b.resume(c) : first;
                if (first != ResumeOutcome.SUSPENDED || second != ResumeOutcome.DONE || !PinProbe.returned()) {
                    throw new RuleBrokenError(Rule.SWITCH_PINNED, "a backend that does not pin in class initializers "
                            + "should switch there normally; resume gave " + first + " then " + second
                            + ", suspend threw " + PinProbe.thrown());
                }
            }
        } finally {
            b.close();
        }
    }
}
