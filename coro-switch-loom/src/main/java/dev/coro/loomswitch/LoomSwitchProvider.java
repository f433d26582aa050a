package dev.coro.loomswitch;

import dev.coro.spi.JvmArgs;
import dev.coro.spi.SwitchBackend;
import dev.coro.spi.SwitchHost;
import dev.coro.spi.SwitchProvider;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/** Provides switch backend {@code loom} (priority 100, after {@code native}). */
public final class LoomSwitchProvider implements SwitchProvider {

    static final String NAME = "loom";
    /** On the class path the flag names ALL-UNNAMED; on the module path, this module. */
    static final String OPENS_FLAG = "--add-opens java.base/java.lang="
            + (LoomSwitchProvider.class.getModule().isNamed()
                    ? LoomSwitchProvider.class.getModule().getName() : "ALL-UNNAMED");
    static final String POLLER_MODE_FLAG = "-Djdk.pollerMode=1";

    private static final System.Logger LOG = System.getLogger("dev.coro.loomswitch");
    /** The poller-mode warning is about the JVM, not one scheduler: say it once. */
    private static final AtomicBoolean POLLER_MODE_WARNED = new AtomicBoolean();

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int priority() {
        return 100;
    }

    @Override
    public Optional<String> unavailableReason() {
        if (!Object.class.getModule().isOpen("java.lang", LoomSwitchProvider.class.getModule())) {
            return Optional.of("switch backend loom needs the JVM flag " + OPENS_FLAG
                    + " (it creates virtual threads on its own scheduler through java.lang internals; the flag"
                    + " is in coro.jvmargs)");
        }
        return VirtualThreads.unavailableReason().map(why -> "switch backend loom cannot run on this JDK ("
                + Runtime.version() + "): " + why);
    }

    @Override
    public SwitchBackend open(SwitchHost host) {
        Optional<String> why = unavailableReason();
        if (why.isPresent()) {
            throw new IllegalStateException(why.get() + ". " + JvmArgs.howToGet(LoomSwitchProvider.class.getModule()));
        }
        String pollerMode = System.getProperty("jdk.pollerMode");
        boolean pollersOk = "1".equals(pollerMode);
        if (!pollersOk && POLLER_MODE_WARNED.compareAndSet(false, true)) {
            LOG.log(System.Logger.Level.WARNING, "jdk.pollerMode is " + (pollerMode == null ? "unset" : pollerMode)
                    + ", not 1: the first blocking JDK socket call in a coro starts the JVM-wide I/O pollers as "
                    + "virtual threads on this coro scheduler, and when it stops, every other virtual thread's "
                    + "socket I/O in the JVM stalls. Add " + POLLER_MODE_FLAG
                    + " (it is in coro.jvmargs) for platform-thread pollers. See SPEC.md section 4.");
        }
        String description = pollersOk ? NAME
                : NAME + " (jdk.pollerMode=" + pollerMode + ": JDK socket pollers would run on this scheduler)";
        return new LoomSwitchBackend(host, description);
    }
}
