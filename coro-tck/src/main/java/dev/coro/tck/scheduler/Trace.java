package dev.coro.tck.scheduler;

import dev.coro.tck.Rule;

import java.util.List;

/**
 * What one run of a {@link Program} did, from the real scheduler or from the {@link ReferenceModel}.
 * {@code events} run up to and including main's end; {@code shutdown} holds the events of the
 * end-of-run shutdown, sorted (their order among themselves is not specified); {@code violations}
 * are rule breaks seen directly while running (e.g. a sleep that returned early).
 */
public record Trace(List<Event> events, List<String> shutdown, List<String> uncaught, String runResult,
                    List<Violation> violations) {

    /** A rule break seen directly, with what was seen. */
    public record Violation(Rule rule, String what) {
        @Override
        public String toString() {
            return rule.broke() + ": " + what;
        }
    }
}
