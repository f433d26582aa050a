package dev.coro.tck.scheduler;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * jqwik generators of {@link Program}s. Each property picks the {@link Kind}s of operation it
 * exercises; shrinking works on the raw parts, so a failure shrinks to few coros and few ops.
 * Invariant: sleeps are short (0–6 ms) and sleepUntil deadlines small, so that deadlines collide.
 */
public final class Programs {
    private Programs() {
    }

    /** The kinds of operation a program may use besides spawn; REPEAT: a loop of 20–300 rounds. */
    public enum Kind { YIELD, SLEEP, SLEEP_UNTIL, TIMEOUT, INTERRUPT, JOIN, THROW, REPEAT }

    /** Every kind but REPEAT (long programs have a property of their own, with fewer tries). */
    public static Set<Kind> all() {
        return EnumSet.complementOf(EnumSet.of(Kind.REPEAT));
    }

    /**
     * Long-running programs: up to {@code maxCoros} coros, each running a loop (repeated 20–300 times)
     * of 1–3 yields, sleeps or sleepUntils, between a few other ops of {@code kinds}, so that one coro
     * suspends hundreds of times (a backend that goes wrong every Nth switch shows).
     */
    public static Arbitrary<Program> longRunning(Set<Kind> kinds, int maxCoros) {
        Arbitrary<Op> loopBody = Arbitraries.oneOf(Arbitraries.just(new Op.Yield()),
                Arbitraries.integers().between(0, 2).map(Op.Sleep::new),
                Arbitraries.integers().between(0, 10).map(Op.SleepUntil::new));
        Arbitrary<Op> loop = Combinators.combine(Arbitraries.integers().between(20, 300),
                loopBody.list().ofMinSize(1).ofMaxSize(3)).as(Op.Repeat::new);
        Arbitrary<List<Op>> script = Combinators.combine(script(kinds, 1), loop, script(kinds, 1))
                .as((before, l, after) -> {
                    List<Op> all = new ArrayList<>(before);
                    all.add(l);
                    all.addAll(after);
                    return all;
                });
        Arbitrary<List<List<Op>>> scripts = script.list().ofMinSize(1).ofMaxSize(maxCoros);
        Arbitrary<int[]> spawnAt = Combinators.combine(Arbitraries.integers().between(0, 7),
                Arbitraries.integers().between(0, 7)).as((a, b) -> new int[]{a, b});
        return Combinators.combine(scripts, spawnAt.list().ofSize(maxCoros), Arbitraries.of(64, 1, 2),
                Arbitraries.of(true, false)).as(Program::of);
    }

    /**
     * Programs of up to {@code maxCoros} coros using {@code kinds}; {@code mainJoinsAll} null means
     * either; the batch cap is 1, 2 or the default 64.
     */
    public static Arbitrary<Program> programs(Set<Kind> kinds, int maxCoros, Boolean mainJoinsAll) {
        Arbitrary<List<List<Op>>> scripts = script(kinds, 0).list().ofMinSize(1).ofMaxSize(maxCoros);
        Arbitrary<int[]> spawnAt = Combinators.combine(Arbitraries.integers().between(0, 7),
                Arbitraries.integers().between(0, 7)).as((a, b) -> new int[]{a, b});
        Arbitrary<List<int[]>> spawns = spawnAt.list().ofSize(maxCoros);
        Arbitrary<Integer> batches = Arbitraries.of(64, 1, 2);
        Arbitrary<Boolean> joins = mainJoinsAll == null ? Arbitraries.of(true, false) : Arbitraries.just(mainJoinsAll);
        return Combinators.combine(scripts, spawns, batches, joins).as(Program::of);
    }

    private static Arbitrary<List<Op>> script(Set<Kind> kinds, int depth) {
        return op(kinds, depth).list().ofMaxSize(depth == 0 ? 6 : 3);
    }

    private static Arbitrary<Op> op(Set<Kind> kinds, int depth) {
        List<Arbitrary<Op>> choices = new ArrayList<>();
        Arbitrary<Integer> target = Arbitraries.integers().between(0, 7);
        if (kinds.contains(Kind.YIELD)) {
            choices.add(Arbitraries.just(new Op.Yield()));
        }
        if (kinds.contains(Kind.SLEEP)) {
            choices.add(Arbitraries.integers().between(0, 6).map(Op.Sleep::new));
        }
        if (kinds.contains(Kind.SLEEP_UNTIL)) {
            choices.add(Arbitraries.integers().between(0, 10).map(Op.SleepUntil::new));
        }
        if (kinds.contains(Kind.TIMEOUT) && depth < 3) {
            choices.add(Combinators.combine(Arbitraries.integers().between(0, 6),
                    Arbitraries.lazy(() -> script(kinds, depth + 1))).as(Op.WithTimeout::new));
        }
        if (kinds.contains(Kind.INTERRUPT)) {
            choices.add(target.map(Op.Interrupt::new));
        }
        if (kinds.contains(Kind.JOIN)) {
            choices.add(target.map(Op.Join::new));
        }
        if (kinds.contains(Kind.THROW)) {
            choices.add(Arbitraries.just(new Op.Throw()));
        }
        if (choices.isEmpty()) {
            choices.add(Arbitraries.just(new Op.Yield()));
        }
        return Arbitraries.oneOf(choices);
    }
}
