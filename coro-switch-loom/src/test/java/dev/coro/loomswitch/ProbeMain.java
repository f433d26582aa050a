package dev.coro.loomswitch;

import dev.coro.spi.Coroutine;
import dev.coro.spi.SwitchBackend;
import dev.coro.spi.SwitchHost;

/** Run in a child JVM by {@link LoomSwitchProviderTest}: prints what the provider says there. */
public final class ProbeMain {
    public static void main(String[] args) {
        LoomSwitchProvider p = new LoomSwitchProvider();
        System.out.println("reason=" + p.unavailableReason().orElse("<none>"));
        if (args.length > 0 && args[0].equals("open")) {
            Thread me = Thread.currentThread();
            try (SwitchBackend b = p.open(new SwitchHost() {
                @Override
                public Thread schedulerThread() {
                    return me;
                }

                @Override
                public void wakeup(Coroutine coroutine) {
                }
            })) {
                System.out.println("describe=" + b.describe());
            }
        }
        System.out.flush();
    }
}
