package dev.coro.tck;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.InvocationInterceptor;
import org.junit.jupiter.api.extension.ReflectiveInvocationContext;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;
import org.opentest4j.TestAbortedException;

import java.lang.reflect.Method;
import java.time.Duration;

/**
 * Makes every failure of an example-based verification say which rule broke, once: the rule comes
 * from the test method's name ({@link Rule#ofTestName}). Also gives every such test a hang bound
 * (the verification's {@code hangBound()}, 60 s if it has none) and reports resource exhaustion
 * as a failure of the test's rule (see {@link KitBounds}). Invariant: the original failure stays
 * the cause.
 */
public final class RuleNamingExtension implements TestExecutionExceptionHandler, InvocationInterceptor {

    private static final Duration DEFAULT_HANG_BOUND = Duration.ofSeconds(60);

    @Override
    public void interceptTestMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> invocationContext,
                                    ExtensionContext context) throws Throwable {
        String method = context.getRequiredTestMethod().getName();
        Rule rule = Rule.ofTestName(method).orElse(Rule.RELIABILITY);
        Duration bound = hangBound(context.getRequiredTestInstance());
        // On a thread of its own (as JUnit's @Timeout(threadMode = SEPARATE_THREAD)): a hung backend
        // fails this test naming its rule, instead of hanging the whole run.
        KitBounds.call(rule, bound, method, () -> {
            try {
                return invocation.proceed();
            } catch (Exception | Error e) {
                throw e;
            } catch (Throwable t) {
                throw new IllegalStateException(t);
            }
        });
    }

    @Override
    public void handleTestExecutionException(ExtensionContext context, Throwable failure) throws Throwable {
        if (failure instanceof TestAbortedException) {
            throw failure;
        }
        String method = context.getRequiredTestMethod().getName();
        Rule rule = Rule.ofTestName(method).orElse(null);
        if (failure instanceof RuleBrokenError || Rule.named(failure.getMessage())) {
            throw failure;
        }
        if (failure instanceof VirtualMachineError && rule != null) {
            throw KitBounds.exhausted(rule, method, failure);
        }
        if (rule == null) {
            throw new AssertionError("an unnamed rule broke (test " + method + " has no rule prefix): " + failure,
                    failure);
        }
        throw new RuleBrokenError(rule, "in " + method + ": " + failure, failure);
    }

    /** The verification's {@code hangBound()} if it declares one (any visibility), else 60 s. */
    static Duration hangBound(Object verification) {
        for (Class<?> c = verification.getClass(); c != null; c = c.getSuperclass()) {
            try {
                Method m = c.getDeclaredMethod("hangBound");
                if (m.getReturnType() == Duration.class) {
                    m.setAccessible(true);
                    return (Duration) m.invoke(verification);
                }
            } catch (NoSuchMethodException e) {
                // look further up
            } catch (ReflectiveOperationException | RuntimeException e) {
                return DEFAULT_HANG_BOUND;
            }
        }
        return DEFAULT_HANG_BOUND;
    }
}
