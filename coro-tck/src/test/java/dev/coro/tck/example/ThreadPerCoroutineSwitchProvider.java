package dev.coro.tck.example;

import dev.coro.spi.Coroutine;
import dev.coro.spi.ResumeOutcome;
import dev.coro.spi.SwitchBackend;
import dev.coro.spi.SwitchHost;
import dev.coro.spi.SwitchProvider;

import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;

/**
 * A legal but heavy third-party backend, {@code thread-per-coroutine}: each coroutine is a platform
 * thread, handed control through two semaphores. It declares {@link #maxLiveCoroutines()} = 200, so
 * that the kit never asks it for more threads than a test machine can spare. Invariants: one of
 * {the resume caller, the resumed coroutine} runs at a time; close() ends every thread it started
 * (an abandoned coroutine unwinds from its suspend with {@link Abandoned}).
 */
public final class ThreadPerCoroutineSwitchProvider implements SwitchProvider {
    public static final String NAME = "thread-per-coroutine";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int priority() {
        return -10;
    }

    @Override
    public Optional<String> unavailableReason() {
        return Optional.empty();
    }

    @Override
    public int maxLiveCoroutines() {
        return 200;
    }

    @Override
    public SwitchBackend open(SwitchHost host) {
        return new Backend(host);
    }

    /** Unwinds an abandoned coroutine's thread when its backend closes. */
    private static final class Abandoned extends Error {
        private static final long serialVersionUID = 1L;

        Abandoned() {
            super("coroutine abandoned by close()", null, false, false);
        }
    }

    private static final class Handoff implements Coroutine {
        final String name;
        final Object attachment;
        final Runnable body;
        final Semaphore go = new Semaphore(0);
        final Semaphore back = new Semaphore(0);
        Thread thread;
        volatile boolean done;
        volatile boolean abandoned;
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
            Thread t = thread;
            return t == null || done ? new StackTraceElement[0] : t.getStackTrace();
        }
    }

    private static final class Backend implements SwitchBackend {
        private final SwitchHost host;
        private final ThreadLocal<Handoff> self = new ThreadLocal<>();
        private final Set<Handoff> started = ConcurrentHashMap.newKeySet();

        Backend(SwitchHost host) {
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
                h.thread = Thread.ofPlatform().daemon().name(h.name).unstarted(() -> {
                    self.set(h);
                    h.go.acquireUninterruptibly();
                    try {
                        if (!h.abandoned) {
                            h.body.run();
                        }
                    } catch (Abandoned a) {
                        // closed while suspended: the thread just ends
                    } catch (Throwable t) {
                        h.failure = t;
                    } finally {
                        started.remove(h);
                        h.done = true;
                        h.back.release();
                    }
                });
                started.add(h);
                h.thread.start();
            }
            h.go.release();
            h.back.acquireUninterruptibly();
            if (h.done && h.failure != null) {
                throw Backend.<RuntimeException>sneaky(h.failure);
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
            if (h.abandoned) {
                throw new Abandoned();
            }
        }

        @Override
        public void interruptBlocked(Coroutine c) {
            // Its coroutines never report BLOCKED.
        }

        @Override
        public void close() {
            // A platform thread per suspended coroutine would otherwise stay for ever: unwind each.
            for (Handoff h : started) {
                h.abandoned = true;
                h.go.release();
            }
            for (Handoff h : started) {
                try {
                    h.thread.join();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }
}
