package dev.coro.tck;

/**
 * A kit failure: names the rule that broke first in its message, then what was seen (for model
 * properties: the shrunk program and its expected and observed traces).
 */
public final class RuleBrokenError extends AssertionError {
    private static final long serialVersionUID = 1L;

    private final Rule rule;

    public RuleBrokenError(Rule rule, String details) {
        super(rule.broke() + ": " + details);
        this.rule = rule;
    }

    public Rule rule() {
        return rule;
    }
}
