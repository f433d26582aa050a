package dev.coro.tck;

import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

/**
 * Hang bounds and resource exhaustion, turned into failures of the rule being checked: a check runs
 * on a platform thread of its own, and the caller waits for it at most a bound. Invariant: what
 * comes out is the check's own result or failure, or a {@link RuleBrokenError} naming {@code rule}
 * (a hang, or an {@link OutOfMemoryError} such as "unable to create native thread"); never a hang of
 * the build.
 */
public final class KitBounds {
    private KitBounds() {
    }

    /**
     * On a check's own thread: its deadline (System.nanoTime). A check inside it that may take as long
     * runs inline (bounded already, and a hang then shows in the outer check's stack); one with a
     * shorter bound gets a thread of its own.
     */
    private static final ThreadLocal<Long> DEADLINE = new ThreadLocal<>();

    /** Runs {@code check} bounded by {@code bound}; a hang or exhaustion fails naming {@code rule}. */
    public static <T> T call(Rule rule, Duration bound, String what, Callable<T> check) {
        Long outer = DEADLINE.get();
        long deadline = System.nanoTime() + bound.toNanos();
        if (outer != null && outer - deadline <= 0) {
            try {
                return check.call();
            } catch (Throwable t) {
                throw rethrown(rule, what, t);
            }
        }
        CompletableFuture<T> result = new CompletableFuture<>();
        Thread runner;
        try {
            runner = Thread.ofPlatform().daemon().name("coro-tck-check").start(() -> {
                DEADLINE.set(deadline);
                try {
                    result.complete(check.call());
                } catch (Throwable t) {
                    result.completeExceptionally(t);
                }
            });
        } catch (OutOfMemoryError e) {
            throw exhausted(rule, what, e);
        }
        try {
            return result.get(bound.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            String stack = Arrays.stream(runner.getStackTrace()).limit(16).map(String::valueOf)
                    .collect(Collectors.joining("\n    "));
            runner.interrupt(); // best effort: a check that waits interruptibly ends; the rest stays a daemon
            throw new RuleBrokenError(rule, what + " did not finish within " + bound + " (a hang; the check is "
                    + "stuck in:\n    " + stack + ")");
        } catch (ExecutionException e) {
            throw rethrown(rule, what, e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for " + what, e);
        }
    }

    /** {@link #call} for a check without a result. */
    public static void run(Rule rule, Duration bound, String what, Runnable check) {
        call(rule, bound, what, () -> {
            check.run();
            return null;
        });
    }

    /** The failure to throw for {@code t}: itself, unless it is resource exhaustion (then named by {@code rule}). */
    public static RuntimeException rethrown(Rule rule, String what, Throwable t) {
        if (t instanceof VirtualMachineError vm && !(t instanceof RuleBrokenError)) {
            throw exhausted(rule, what, vm);
        }
        if (t instanceof RuntimeException r) {
            throw r;
        }
        if (t instanceof Error err) {
            throw err;
        }
        throw new IllegalStateException(t);
    }

    /** Resource exhaustion reported as a failure of {@code rule}, with what a backend should do about it. */
    public static RuleBrokenError exhausted(Rule rule, String what, Throwable e) {
        return new RuleBrokenError(rule, what + " ran out of resources (" + e + "). A backend that cannot hold "
                + "what the kit asks for declares its limit (SwitchProvider.maxLiveCoroutines(); coro-tck/README.md, "
                + "\"Limits of your backend\") and the kit scales to it", e);
    }
}
