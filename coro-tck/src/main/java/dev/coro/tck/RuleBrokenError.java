package dev.coro.tck;

/**
 * A kit failure: names the rule that broke first in its message, exactly once, then what was seen
 * (for model properties: the shrunk program and its expected and observed traces).
 */
public final class RuleBrokenError extends AssertionError {
    private static final long serialVersionUID = 1L;

    private final Rule rule;
    private final String details;

    public RuleBrokenError(Rule rule, String details) {
        this(rule, details, null);
    }

    public RuleBrokenError(Rule rule, String details, Throwable cause) {
        super(rule.broke() + ": " + unnamed(details), cause);
        this.rule = rule;
        this.details = unnamed(details);
    }

    public Rule rule() {
        return rule;
    }

    /** The message without the rule's name in front. */
    public String details() {
        return details;
    }

    /** Strips a rule name a caller already put in front, so that a message names its rule once. */
    private static String unnamed(String details) {
        String d = String.valueOf(details);
        for (Rule r : Rule.values()) {
            if (d.startsWith(r.broke())) {
                d = d.substring(r.broke().length());
                return d.startsWith(": ") ? d.substring(2) : d;
            }
        }
        return d;
    }
}
