package dev.coro.tck.scheduler;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A generated program: one script per coro ({@code c0} is main), the batch cap, and whether main
 * joins every child at its end (else the run's end shuts the survivors down, rule 8). Invariant
 * (made by {@link #of}): coro {@code i} joins only coros {@code j > i} (so no join cycle can wait for
 * ever), never interrupts itself, and each child {@code k} is spawned once, by a coro below {@code k}.
 */
public record Program(List<List<Op>> scripts, int maxBatches, boolean mainJoinsAll) {

    public int coros() {
        return scripts.size();
    }

    public List<Op> script(int coro) {
        return scripts.get(coro);
    }

    /**
     * Builds a valid program from raw generated parts: {@code spawnAt[k-1]} = (spawner, position) of
     * child {@code k}; invalid joins and interrupts are redirected to valid targets.
     */
    public static Program of(List<List<Op>> raw, List<int[]> spawnAt, int maxBatches, boolean mainJoinsAll) {
        int n = raw.size();
        List<List<Op>> scripts = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            scripts.add(new ArrayList<>(normalise(raw.get(i), i, n)));
        }
        for (int k = n - 1; k >= 1; k--) {
            int[] at = spawnAt.get(k - 1);
            int spawner = Math.floorMod(at[0], k);
            List<Op> s = scripts.get(spawner);
            s.add(Math.floorMod(at[1], s.size() + 1), new Op.Spawn(k));
        }
        if (mainJoinsAll) {
            for (int k = 1; k < n; k++) {
                scripts.get(0).add(new Op.Join(k));
            }
        }
        return new Program(scripts.stream().map(List::copyOf).toList(), maxBatches, mainJoinsAll);
    }

    private static List<Op> normalise(List<Op> ops, int self, int n) {
        List<Op> out = new ArrayList<>();
        for (Op op : ops) {
            switch (op) {
                case Op.Join j -> {
                    if (self + 1 < n) {
                        out.add(new Op.Join(self + 1 + Math.floorMod(j.target(), n - self - 1)));
                    } else {
                        out.add(new Op.Yield());
                    }
                }
                case Op.Interrupt x -> {
                    if (n > 1) {
                        int t = Math.floorMod(x.target(), n - 1);
                        out.add(new Op.Interrupt(t >= self ? t + 1 : t));
                    } else {
                        out.add(new Op.Yield());
                    }
                }
                case Op.WithTimeout w -> out.add(new Op.WithTimeout(w.ms(), normalise(w.body(), self, n)));
                case Op.Repeat r -> {
                    List<Op> body = normalise(r.body(), self, n);
                    for (int i = 0; i < r.times(); i++) {
                        out.addAll(body);
                    }
                }
                case Op.Spawn s -> out.add(new Op.Yield()); // spawns are placed by of() alone
                default -> out.add(op);
            }
        }
        return out;
    }

    /** The program as a reader would write it, one coro a line. */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("program (maxBatchesPerPhase=" + maxBatches + ")");
        for (int i = 0; i < scripts.size(); i++) {
            b.append("\n    c").append(i).append(i == 0 ? " (main): " : ": ")
                    .append(String.join("; ", rolled(scripts.get(i))));
        }
        return b.toString();
    }

    /** {@code ops} with runs of a repeated 1–3 op sequence written as {@code repeat N { … }} (unrolled loops read short). */
    static List<String> rolled(List<Op> ops) {
        List<String> out = new ArrayList<>();
        int i = 0;
        while (i < ops.size()) {
            int bestLen = 1;
            int bestTimes = 1;
            for (int len = 1; len <= 3 && i + len <= ops.size(); len++) {
                int times = 1;
                while (i + (times + 1) * len <= ops.size()
                        && ops.subList(i, i + len).equals(ops.subList(i + times * len, i + (times + 1) * len))) {
                    times++;
                }
                if (times >= 3 && times * len > bestTimes * bestLen) {
                    bestLen = len;
                    bestTimes = times;
                }
            }
            if (bestTimes >= 3) {
                out.add("repeat " + bestTimes + " { " + ops.subList(i, i + bestLen).stream().map(Op::toString)
                        .collect(Collectors.joining("; ")) + " }");
                i += bestTimes * bestLen;
            } else {
                out.add(ops.get(i).toString());
                i++;
            }
        }
        return out;
    }
}
