package dev.coro.tck.example;

import dev.coro.spi.Coroutine;
import dev.coro.spi.ResumeOutcome;
import dev.coro.spi.SwitchBackend;
import dev.coro.spi.SwitchHost;
import dev.coro.spi.SwitchProvider;

import java.util.Optional;
import java.util.concurrent.Semaphore;

/**
 * The README's "new backend" example: switch backend {@code handoff}, in which each coroutine is a
 * virtual thread of the JDK's default scheduler and two semaphores hand control back and forth.
 * Invariant: exactly one of {the resume caller, the resumed coroutine} runs at any time; a body's
 * failure comes out of resume as the same object. Slow (a switch is a thread handoff) but simple.
 */
public final class HandoffSwitchProvider implements SwitchProvider {
    public static final String NAME = "handoff";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int priority() {
        return 0;
    }

    @Override
    public Optional<String> unavailableReason() {
        return Optional.empty();
    }

    @Override
    public SwitchBackend open(SwitchHost host) {
        return new HandoffBackend(host);
    }

    /** One coroutine: its thread and the two semaphores of the handoff. */
    static final class Handoff implements Coroutine {
        final String name;
        final Object attachment;
        final Runnable body;
        final Semaphore go = new Semaphore(0);
        final Semaphore back = new Semaphore(0);
        Thread thread;
        volatile boolean done;
        volatile Throwable failure;

        Handoff(String name, Object attachment, Runnable body) {
            this.name = name;
            this.attachment = attachment;
            this.body = body;
        }

        @Override
        public Object attachment() {
            return attachment;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public boolean isDone() {
            return done;
        }

        @Override
        public StackTraceElement[] stackTrace() {
            return thread == null ? new StackTraceElement[0] : thread.getStackTrace();
        }
    }

    static final class HandoffBackend implements SwitchBackend {
        private final SwitchHost host;
        private final ThreadLocal<Handoff> self = new ThreadLocal<>();

        HandoffBackend(SwitchHost host) {
            this.host = host;
        }

        @Override
        public String name() {
            return NAME;
        }

        @Override
        public Coroutine create(String name, Runnable body, Object attachment) {
            // An unnamed coroutine (name null) is named by the host; a thread is named when made.
            return new Handoff(name != null ? name : host.nameOf(attachment), attachment, body);
        }

        @Override
        public ResumeOutcome resume(Coroutine coroutine) {
            Handoff h = (Handoff) coroutine;
            if (h.done) {
                throw new IllegalStateException("coroutine " + h.name + " is done");
            }
            if (h.thread == null) {
                h.thread = Thread.ofVirtual().name(h.name).unstarted(() -> {
                    self.set(h);
                    h.go.acquireUninterruptibly();
                    try {
                        h.body.run();
                    } catch (Throwable t) {
                        h.failure = t;
                    } finally {
                        h.done = true;
                        h.back.release();
                    }
                });
                h.thread.start();
            }
            h.go.release();
            h.back.acquireUninterruptibly();
            if (h.done && h.failure != null) {
                throw HandoffBackend.<RuntimeException>sneaky(h.failure);
            }
            return h.done ? ResumeOutcome.DONE : ResumeOutcome.SUSPENDED;
        }

        @SuppressWarnings("unchecked")
        private static <E extends Throwable> E sneaky(Throwable t) throws E {
            throw (E) t;
        }

        @Override
        public void suspend() {
            Handoff h = self.get();
            if (h == null) {
                throw new IllegalStateException("suspend() called outside a coroutine of this backend");
            }
            h.back.release();
            h.go.acquireUninterruptibly();
        }

        @Override
        public void interruptBlocked(Coroutine c) {
            // Its coroutines never report BLOCKED.
        }

        @Override
        public void close() {
            // Nothing to release: the scheduler ends every coroutine before closing.
        }
    }
}
