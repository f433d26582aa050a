package dev.coro.poll.kqueue;

import dev.coro.tck.FdLeakCheck;
import dev.coro.tck.net.SocketVerificationBase;

/**
 * This module's warm-up for {@link FdLeakCheck} (registered in
 * {@code META-INF/services/dev.coro.tck.FdLeakCheck$WarmUp}): JNA's first native call maps a libffi
 * trampoline file that stays open for good, and the shim keeps one eventfd for signal knotes for
 * the life of the process, so make both (and a kqueue scheduler run on each switch) before the first
 * fd count, whichever test comes first. Nothing where kqueue cannot run.
 */
public final class KqueueFdWarmUp implements FdLeakCheck.WarmUp {
    @Override
    public void warmUp() throws Exception {
        KqueueShim.prepare();
        if (KqueueNative.unavailableReason().isPresent()) {
            return;
        }
        new KqueuePollerProvider().open().close();
        if (KqueueShim.isShim()) {
            int kq = KqueueNative.newKqueue();
            try (KeventArray a = new KeventArray(KqueueNative.LAYOUT, 1)) {
                a.put(0, 23 /* SIGURG: ignored by default, unused by the JVM */, KqueueNative.LAYOUT.evfiltSignal,
                        KeventLayout.EV_ADD | KeventLayout.EV_ONESHOT, 0, 0, 0);
                if (KqueueNative.kevent(kq, a.address(), 1, 0, 0, 0) != 0) {
                    throw new IllegalStateException("the shim refused a SIGURG knote");
                }
            } finally {
                KqueueNative.close(kq);
            }
        }
        for (String sw : SocketVerificationBase.switchBackends()) {
            SocketVerificationBase.warmUp(KqueuePollerProvider.NAME, sw);
        }
    }
}
