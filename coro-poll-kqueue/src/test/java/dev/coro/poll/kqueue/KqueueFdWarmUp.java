package dev.coro.poll.kqueue;

import dev.coro.tck.FdLeakCheck;
import dev.coro.tck.net.SocketVerificationBase;

/**
 * This module's warm-up for {@link FdLeakCheck} (registered in
 * {@code META-INF/services/dev.coro.tck.FdLeakCheck$WarmUp}): JNA's first native call maps a libffi
 * trampoline file that stays open for good, so make it (and a kqueue scheduler run on each switch)
 * before the first fd count, whichever test comes first. Nothing where kqueue cannot run.
 */
public final class KqueueFdWarmUp implements FdLeakCheck.WarmUp {
    @Override
    public void warmUp() throws Exception {
        KqueueShim.prepare();
        if (KqueueNative.unavailableReason().isPresent()) {
            return;
        }
        new KqueuePollerProvider().open().close();
        for (String sw : SocketVerificationBase.switchBackends()) {
            SocketVerificationBase.warmUp(KqueuePollerProvider.NAME, sw);
        }
    }
}
