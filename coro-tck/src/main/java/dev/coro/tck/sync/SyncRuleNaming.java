package dev.coro.tck.sync;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;
import org.opentest4j.TestAbortedException;

/**
 * Puts the broken {@link SyncRule} (from the test method's name) in front of every failure of a sync
 * verification. Invariant: the original failure stays the cause.
 */
public final class SyncRuleNaming implements TestExecutionExceptionHandler {
    @Override
    public void handleTestExecutionException(ExtensionContext context, Throwable failure) throws Throwable {
        if (failure instanceof TestAbortedException) {
            throw failure;
        }
        String method = context.getRequiredTestMethod().getName();
        String rule = SyncRule.ofTestName(method).map(SyncRule::broke)
                .orElse("an unnamed sync rule broke (test " + method + " has no rule prefix)");
        if (failure.getMessage() != null && failure.getMessage().startsWith(rule)) {
            throw failure;
        }
        throw new AssertionError(rule + " in " + method + ": " + failure, failure);
    }
}
