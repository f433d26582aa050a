package dev.coro.scheduler;

import dev.coro.spi.Coroutine;
import dev.coro.spi.ResumeOutcome;
import dev.coro.spi.SwitchBackend;
import dev.coro.spi.SwitchHost;
import dev.coro.spi.SwitchProvider;

import java.util.Optional;
import java.util.concurrent.Semaphore;

/**
 * A tiny switch backend for coro-scheduler's own unit tests (the real ones are not on this module's
 * class path): each coroutine is a virtual thread, and a pair of semaphores hands control back and
 * forth. Invariant: exactly one of {scheduler thread, the resumed coroutine} runs at any time.
 */
public final class HandoffSwitchProvider implements SwitchProvider {

    @Override
    public String name() {
        return "handoff";
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
        return new Backend(host);
    }

    private static final class Handoff implements Coroutine {
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

    private static final class Backend implements SwitchBackend {
        private final SwitchHost host;

        Backend(SwitchHost host) {
            this.host = host;
        }

        private final ThreadLocal<Handoff> self = new ThreadLocal<>();

        @Override
        public String name() {
            return "handoff";
        }

        @Override
        public Coroutine create(String name, Runnable body, Object attachment) {
            // An unnamed coroutine (name null) is named by the host; a thread is named when made.
            return new Handoff(name != null ? name : host.nameOf(attachment), attachment, body);
        }

        @Override
        public ResumeOutcome resume(Coroutine coroutine) {
            Handoff h = (Handoff) coroutine;
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
                throw new IllegalStateException("coroutine body failed", h.failure);
            }
            return h.done ? ResumeOutcome.DONE : ResumeOutcome.SUSPENDED;
        }

        @Override
        public void suspend() {
            Handoff h = self.get();
            h.back.release();
            h.go.acquireUninterruptibly();
        }

        @Override
        public void interruptBlocked(Coroutine c) {
        }

        @Override
        public void close() {
        }
    }
}
