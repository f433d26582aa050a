package dev.coro.tck.sync;

import java.util.Optional;

/**
 * The dev.coro.sync contract (DESIGN.md §2 {@code dev.coro.sync}, §3 rule 6, §7), one constant per
 * promise. Invariant: every sync test and property is named {@code <prefix>_what}, so a failure can
 * name the rule that broke ({@link SyncRuleNaming}, {@link #broke()}).
 */
public enum SyncRule {
    FIFO("fifoService", "DESIGN.md §2 dev.coro.sync (waiters are served FIFO)"),
    NO_LOST_WAKEUP("noLostWakeup", "DESIGN.md §3 rule 6 (a waiter leaving by timeout or interrupt is removed from the "
            + "wait queue; no other waiter loses a wake-up, a lock, permits or an item)"),
    TIMED_WAIT("timedWait", "DESIGN.md §2 dev.coro.sync (every wait has a timed variant: CoroTimeoutException, "
            + "and nothing is left behind)"),
    CONDVAR("condVar", "DESIGN.md §2 CondVar (await returns the wake's value; wakeOne/wakeN/wakeAll/raiseAll)"),
    MUTEX("mutexOwnership", "DESIGN.md §2 Mutex (owned, re-entrant, handed straight to the next waiter; "
            + "unlock by a non-owner is a clear error)"),
    HEAD_OF_LINE("headOfLine", "DESIGN.md §2 Semaphore (FIFO: a big request at the head is not starved; "
            + "a request that can never be satisfied is a clear error, not a hang)"),
    INVERTED("invertedSemaphore", "DESIGN.md §2 InvertedSemaphore (acquire adds, release subtracts, awaitZero "
            + "waits for zero)"),
    RW_POLICY("rwPolicy", "DESIGN.md §2 RwLock (readers share, writers exclusive, FIFO: no writer starvation)"),
    FIFO_QUEUE("fifoQueue", "DESIGN.md §2 Fifo (bounded and unbounded, blocking pop, popAll, pushFromAnyThread)"),
    CORO_LOCAL("coroLocal", "DESIGN.md §2 CoroLocal (per-coro values, initial supplier, dropped when the coro ends)"),
    IN_PARALLEL("inParallel", "DESIGN.md §2 InParallel (every result or failure, in order, none lost)"),
    BINDING("binding", "DESIGN.md §2 dev.coro.sync (new needs no scheduler; a primitive binds to the run of its "
            + "first user; use outside it is a clear error)"),
    BAD_INPUT("badInput", "DESIGN.md §7 (bad arguments get a specific exception naming the problem)"),
    MODEL("model", "DESIGN.md §2 and §3 rule 6 (random interleavings of wait/wake/timeout/interrupt agree with the "
            + "primitive's model)");

    private final String prefix;
    private final String text;

    SyncRule(String prefix, String text) {
        this.prefix = prefix;
        this.text = text;
    }

    public String prefix() {
        return prefix;
    }

    public String text() {
        return text;
    }

    /** The start of every failure message. */
    public String broke() {
        return text + " broke";
    }

    /** The rule a test named {@code prefix_what} checks. */
    public static Optional<SyncRule> ofTestName(String name) {
        int u = name.indexOf('_');
        if (u < 0) {
            return Optional.empty();
        }
        String p = name.substring(0, u);
        for (SyncRule r : values()) {
            if (r.prefix.equals(p)) {
                return Optional.of(r);
            }
        }
        return Optional.empty();
    }
}
