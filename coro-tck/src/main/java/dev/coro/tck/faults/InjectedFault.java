package dev.coro.tck.faults;

/**
 * The cause of every exception a {@link FaultInjector} makes a socket call throw: its message says
 * which fault, on which socket, and the seed that replays it. The exception the call throws is the
 * one the JDK would throw (a reset's {@code "Connection reset by peer"}, which a {@code CoroSocket}
 * raises as {@code ConnectionResetException}), so that the code under test sees what it would see
 * from a real network; this cause tells an injected fault from a real one.
 */
public final class InjectedFault extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final Fault kind;

    InjectedFault(Fault kind, String message) {
        super(message, null, false, false);
        this.kind = kind;
    }

    /** Which fault this was. */
    public Fault kind() {
        return kind;
    }

    /** The {@code InjectedFault} in {@code t}'s chain of causes, or null if it has none. */
    public static InjectedFault in(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof InjectedFault f) {
                return f;
            }
        }
        return null;
    }
}
