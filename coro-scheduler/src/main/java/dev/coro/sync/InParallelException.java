package dev.coro.sync;

import java.util.List;

/** Thrown by {@link InParallel#values} when any task failed; carries every outcome, in task order. */
public final class InParallelException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient List<? extends InParallel.Outcome<?>> outcomes;

    public InParallelException(List<? extends InParallel.Outcome<?>> outcomes) {
        super(describe(outcomes));
        this.outcomes = List.copyOf(outcomes);
        for (InParallel.Outcome<?> o : outcomes) {
            if (!o.succeeded()) {
                addSuppressed(o.failure());
            }
        }
    }

    private static String describe(List<? extends InParallel.Outcome<?>> outcomes) {
        StringBuilder sb = new StringBuilder();
        int failed = 0;
        for (int i = 0; i < outcomes.size(); i++) {
            if (!outcomes.get(i).succeeded()) {
                sb.append(failed++ == 0 ? "" : "; ").append("task ").append(i).append(": ")
                        .append(outcomes.get(i).failure());
            }
        }
        return failed + " of " + outcomes.size() + " parallel tasks failed: " + sb;
    }

    /** Every task's outcome, in task order. */
    public List<? extends InParallel.Outcome<?>> outcomes() {
        return outcomes;
    }
}
