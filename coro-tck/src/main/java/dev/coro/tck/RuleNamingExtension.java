package dev.coro.tck;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;
import org.opentest4j.TestAbortedException;

/**
 * Makes every failure of an example-based verification say which rule broke: the rule comes from
 * the test method's name ({@link Rule#ofTestName}). Invariant: the original failure stays the cause.
 */
public final class RuleNamingExtension implements TestExecutionExceptionHandler {

    @Override
    public void handleTestExecutionException(ExtensionContext context, Throwable failure) throws Throwable {
        if (failure instanceof TestAbortedException) {
            throw failure;
        }
        String method = context.getRequiredTestMethod().getName();
        String rule = Rule.ofTestName(method).map(Rule::broke)
                .orElse("an unnamed rule broke (test " + method + " has no rule prefix)");
        if (failure.getMessage() != null && failure.getMessage().startsWith(rule)) {
            throw failure;
        }
        AssertionError named = new AssertionError(rule + " in " + method + ": " + failure, failure);
        throw named;
    }
}
