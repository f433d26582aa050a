package dev.coro.tck.teeth;

import dev.coro.spi.Coroutine;
import dev.coro.spi.ResumeOutcome;
import dev.coro.spi.SwitchBackend;
import dev.coro.spi.SwitchHost;
import dev.coro.spi.SwitchProvider;
import dev.coro.tck.example.HandoffSwitchProvider;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Deliberately broken switch backends: the handoff backend wrapped so that it breaks one rule of
 * SPEC.md §4 each. Registered as {@code broken-*} in this module's test resources, so that a
 * scheduler can run on them too. Invariant: each breaks exactly what its name says.
 */
public final class BrokenSwitchProviders {
    private BrokenSwitchProviders() {
    }

    /** Base: delegates everything to a handoff backend; coroutines are wrapped so that a variant can change them. */
    abstract static class Wrapping implements SwitchProvider {
        private final String name;

        Wrapping(String name) {
            this.name = name;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public int priority() {
            return -1;
        }

        @Override
        public Optional<String> unavailableReason() {
            return Optional.empty();
        }

        @Override
        public SwitchBackend open(SwitchHost host) {
            return new Backend(new HandoffSwitchProvider().open(host));
        }

        ResumeOutcome resume(Backend b, Wrapped c) {
            return b.inner.resume(c.inner);
        }

        void suspend(Backend b) {
            b.inner.suspend();
        }

        StackTraceElement[] stackTrace(Wrapped c) {
            return c.inner.stackTrace();
        }

        final class Backend implements SwitchBackend {
            final SwitchBackend inner;
            final List<Wrapped> created = new ArrayList<>();
            int suspends;

            Backend(SwitchBackend inner) {
                this.inner = inner;
            }

            @Override
            public String name() {
                return name;
            }

            @Override
            public Coroutine create(String n, Runnable body, Object attachment) {
                Wrapped w = new Wrapped(inner.create(n, body, attachment));
                created.add(w);
                return w;
            }

            @Override
            public ResumeOutcome resume(Coroutine c) {
                return Wrapping.this.resume(this, (Wrapped) c);
            }

            @Override
            public void suspend() {
                Wrapping.this.suspend(this);
            }

            @Override
            public void interruptBlocked(Coroutine c) {
            }

            @Override
            public void close() {
                inner.close();
            }
        }

        final class Wrapped implements Coroutine {
            final Coroutine inner;
            boolean started;

            Wrapped(Coroutine inner) {
                this.inner = inner;
            }

            @Override
            public Object attachment() {
                return inner.attachment();
            }

            @Override
            public String name() {
                return inner.name();
            }

            @Override
            public boolean isDone() {
                return inner.isDone();
            }

            @Override
            public StackTraceElement[] stackTrace() {
                return Wrapping.this.stackTrace(this);
            }
        }
    }

    /** resume() swallows a body's failure and reports DONE. */
    public static final class SwallowsFailure extends Wrapping {
        public SwallowsFailure() {
            super("broken-swallows-failure");
        }

        @Override
        ResumeOutcome resume(Backend b, Wrapped c) {
            try {
                return super.resume(b, c);
            } catch (RuntimeException | Error e) {
                return ResumeOutcome.DONE;
            }
        }
    }

    /** resume(c) runs another started, suspended coroutine when there is one. */
    public static final class RunsAnotherCoroutine extends Wrapping {
        public RunsAnotherCoroutine() {
            super("broken-wrong-coroutine");
        }

        @Override
        ResumeOutcome resume(Backend b, Wrapped c) {
            Wrapped run = c;
            for (Wrapped w : b.created) {
                if (w != c && w.started && !w.isDone()) {
                    run = w;
                }
            }
            run.started = true;
            return b.inner.resume(run.inner);
        }
    }

    /** A suspended coroutine's stack trace is empty. */
    public static final class EmptyStackTrace extends Wrapping {
        public EmptyStackTrace() {
            super("broken-empty-stack");
        }

        @Override
        StackTraceElement[] stackTrace(Wrapped c) {
            return new StackTraceElement[0];
        }
    }

    /**
     * Every second suspend() returns at once without switching (as if it silently ignored a pin).
     * Only every second one, so that a wait loop still gets out (the kit's check, not a hang). The
     * count is per opened backend, so which suspend is skipped depends only on what ran on it.
     */
    public static final class SkipsSuspend extends Wrapping {
        public SkipsSuspend() {
            super("broken-skips-suspend");
        }

        @Override
        void suspend(Backend b) {
            if (b.suspends++ % 2 == 0) {
                b.inner.suspend();
            }
        }
    }

    /**
     * A suspend made by {@code Coro.sleep} or {@code Coro.sleepUntil} returns at once without
     * switching, so every sleeper wakes at once; every other suspend (yieldSlice, join, …) switches.
     * Scheduler-level only, and deliberately narrow: it breaks §3 rule 4 and nothing else, so that a
     * check of rule 4 cannot shrink to a counter-example of another rule (as {@link SkipsSuspend},
     * which also breaks yields, did).
     */
    public static final class WakesSleepersEarly extends Wrapping {
        public WakesSleepersEarly() {
            super("broken-wakes-sleepers-early");
        }

        @Override
        void suspend(Backend b) {
            if (!calledFromASleep()) {
                b.inner.suspend();
            }
        }

        /** True if the running coroutine is inside Coro.sleep / Coro.sleepUntil (the public API frames). */
        private static boolean calledFromASleep() {
            return StackWalker.getInstance().walk(frames -> frames.anyMatch(f -> f.getClassName().equals("dev.coro.Coro")
                    && (f.getMethodName().equals("sleep") || f.getMethodName().equals("sleepUntil"))));
        }
    }
}
