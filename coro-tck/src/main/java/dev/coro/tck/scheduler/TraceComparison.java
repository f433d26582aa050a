package dev.coro.tck.scheduler;

import dev.coro.tck.Rule;
import dev.coro.tck.RuleBrokenError;

import java.util.List;

/**
 * Compares an observed {@link Trace} with the {@link ReferenceModel}'s and, on a difference, names
 * the rule the first difference points at. Invariant: equal traces never fail; a failure message
 * holds the program and both traces, so that the shrunk counter-example reads as a trace of ops.
 */
final class TraceComparison {
    private TraceComparison() {
    }

    /** Throws {@link RuleBrokenError} unless {@code observed} is what {@code program} must give. */
    static void check(String property, Program program, Trace expected, Trace observed) {
        // Breaks seen while the program ran come first; leftovers seen after the run (rule 8) last,
        // as they are often only a consequence of an earlier difference.
        for (Trace.Violation v : observed.violations()) {
            if (v.rule() != Rule.RULE_8) {
                throw new RuleBrokenError(v.rule(), v.what() + report(property, program, expected, observed, -1));
            }
        }
        List<Event> e = expected.events();
        List<Event> o = observed.events();
        int i = 0;
        while (i < e.size() && i < o.size() && e.get(i).equals(o.get(i))) {
            i++;
        }
        if (i < e.size() || i < o.size()) {
            Event want = i < e.size() ? e.get(i) : null;
            Event got = i < o.size() ? o.get(i) : null;
            Rule rule = classify(program, want, got);
            throw new RuleBrokenError(rule, "at event #" + i + " expected " + want + " but saw " + got
                    + report(property, program, expected, observed, i));
        }
        if (!expected.runResult().equals(observed.runResult())) {
            throw new RuleBrokenError(Rule.RULE_8, "run() should have " + expected.runResult() + " but "
                    + observed.runResult() + report(property, program, expected, observed, -1));
        }
        if (!expected.shutdown().equals(observed.shutdown())) {
            throw new RuleBrokenError(Rule.RULE_8, "the end-of-run shutdown should end " + expected.shutdown()
                    + " but ended " + observed.shutdown() + report(property, program, expected, observed, -1));
        }
        if (!expected.uncaught().equals(observed.uncaught())) {
            throw new RuleBrokenError(Rule.RULE_7, "the uncaught handler should have got " + expected.uncaught()
                    + " but got " + observed.uncaught() + report(property, program, expected, observed, -1));
        }
        for (Trace.Violation v : observed.violations()) {
            throw new RuleBrokenError(v.rule(), v.what() + report(property, program, expected, observed, -1));
        }
    }

    /**
     * The rule a first difference points at: another coro than expected ran → the run order (rule 2;
     * rule 1 if a new coro ran where its spawner should have gone on); the same coro did something
     * else → by what the two events say; the same thing at another time → rule 4 (early) or 10 (late).
     */
    static Rule classify(Program program, Event want, Event got) {
        if (want != null && got != null && want.coro() != got.coro()) {
            return got.what().equals("start") && want.what().startsWith("spawned") ? Rule.RULE_1 : Rule.RULE_2;
        }
        if (want != null && got != null && want.coro() == got.coro() && want.what().equals(got.what())) {
            if (want.ms() != got.ms()) {
                return got.ms() < want.ms() ? Rule.RULE_4 : Rule.RULE_10;
            }
            if (want.what().equals("yielded")) {
                return Rule.RULE_3; // a yield seen at its time with another timer count: it skipped the timer phase
            }
            String all = program.toString();
            return all.contains("withTimeout") ? Rule.RULE_5 : all.contains("interrupt") ? Rule.RULE_6 : Rule.RULE_4;
        }
        String both = (want == null ? "" : want.what()) + " | " + (got == null ? "" : got.what());
        if (both.contains("start")) {
            return Rule.RULE_1;
        }
        if (both.contains("timed out") || both.contains("} returned")) {
            return Rule.RULE_5;
        }
        if (both.contains("interrupt")) {
            return Rule.RULE_6;
        }
        if (both.contains("failed") || both.contains("threw")) {
            return Rule.RULE_7;
        }
        if (both.contains("yielded")) {
            return Rule.RULE_3;
        }
        if (both.contains("slept")) {
            return Rule.RULE_4;
        }
        return Rule.RULE_2;
    }

    private static String report(String property, Program program, Trace expected, Trace observed, int at) {
        StringBuilder b = new StringBuilder("\n  (property " + property + ")\n  ").append(program);
        b.append("\n  expected trace (reference model of SPEC.md §3):");
        append(b, expected, at);
        b.append("\n  observed trace:");
        append(b, observed, at);
        return b.toString();
    }

    private static void append(StringBuilder b, Trace t, int at) {
        for (int i = 0; i < t.events().size(); i++) {
            b.append(i == at ? "\n  >> " : "\n     ").append('#').append(i).append(' ').append(t.events().get(i));
        }
        for (String s : t.shutdown()) {
            b.append("\n     (shutdown) ").append(s);
        }
        b.append("\n     run ").append(t.runResult()).append("; uncaught handler got ").append(t.uncaught());
    }
}
