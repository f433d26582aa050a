package dev.coro.tck.faults;

/** The kinds of fault a {@link FaultInjector} injects, as {@link FaultInjector#count} counts them. */
public enum Fault {
    /** A read, write or accept that returned 0 (null) although the poller said ready: one call of an EAGAIN storm. */
    EAGAIN("would-block returns (EAGAIN)"),
    /** A write that moved 1 byte of more. */
    ONE_BYTE_WRITE("1-byte writes"),
    /** A readiness reported for a registration whose channel the OS had not reported ready. */
    SPURIOUS_READINESS("spurious readinesses"),
    /** A poll that returned at once with nothing handed out, as an interrupted (EINTR) poll. */
    INTERRUPTED_POLL("interrupted polls (EINTR)"),
    /** A stream socket reset: its call failed with "Connection reset by peer", and so do its later calls. */
    RESET("connection resets (ECONNRESET)"),
    /** An accept that failed with "Too many open files", leaving the connection in the backlog. */
    EMFILE("accepts out of descriptors (EMFILE)"),
    /** A close held until the test released it ({@link FaultInjector#holdNextClose}). */
    HELD_CLOSE("held closes");

    private final String description;

    Fault(String description) {
        this.description = description;
    }

    /** What the count of this kind counts, for reports. */
    public String description() {
        return description;
    }
}
