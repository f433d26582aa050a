package dev.coro.poll.kqueue;

import dev.coro.spi.Poller;
import dev.coro.tck.poll.PollerVerification;

import java.io.IOException;

/** The compatibility kit's poller properties (SPEC.md §4) against {@code kqueue}. */
class KqueuePollerVerificationTest extends PollerVerification {
    static {
        // JNA's first native call maps a libffi trampoline file once per JVM: not a poller's fd, so
        // make it before the kit counts fds around the first poller.
        KqueueShim.prepare();
        if (KqueueNative.unavailableReason().isEmpty()) {
            try {
                new KqueuePollerProvider().open().close();
            } catch (IOException e) {
                throw new ExceptionInInitializerError(e);
            }
        }
    }

    @Override
    protected Poller openPoller() throws IOException {
        KqueueShim.require(); // here, not in a JUnit callback: jqwik's properties do not run those
        return new KqueuePollerProvider().open();
    }
}
