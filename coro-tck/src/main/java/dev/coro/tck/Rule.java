package dev.coro.tck;

import java.util.Optional;

/**
 * The contract the kit checks: DESIGN.md §3 rules 1–10 and the §2 (including dev.coro.sync), §4, §5 and §7 promises, one
 * constant each. Invariant: every test and property of the kit is named {@code <prefix>_what}
 * where {@code <prefix>} is one constant's {@link #prefix()}, so that any failure can name its rule.
 */
public enum Rule {
    RULE_1("rule1", "DESIGN.md §3 rule 1 (spawn appends the new coro to pending; the caller keeps running)"),
    RULE_2("rule2", "DESIGN.md §3 rule 2 (one loop iteration: timers in (deadline, insertion) order, then run passes in schedule order, then I/O)"),
    RULE_3("rule3", "DESIGN.md §3 rule 3 (yieldSlice runs again only after the next timer and I/O phase; batch cap)"),
    RULE_4("rule4", "DESIGN.md §3 rule 4 (no wake-up before the deadline; equal deadlines wake in call order)"),
    RULE_5("rule5", "DESIGN.md §3 rule 5 (withTimeout: value or CoroTimeoutException from the owning frame; timebomb removed)"),
    RULE_6("rule6", "DESIGN.md §3 rule 6 (interrupt raises at the suspension point; the target leaves its wait queue)"),
    RULE_7("rule7", "DESIGN.md §3 rule 7 (an escaping exception goes to the handler and joiners; the rest goes on)"),
    RULE_8("rule8", "DESIGN.md §3 rule 8 (run returns when main ends; every other coro is shut down; nothing left)"),
    RULE_9("rule9", "DESIGN.md §3 rule 9 (a coro that runs past the threshold is reported with name and stack)"),
    RULE_10("rule10", "DESIGN.md §3 rule 10 (virtual time moves only when nothing is runnable, straight to the next deadline)"),
    API("api", "DESIGN.md §2 (user API: run, submit/execute, await/blocking, close)"),
    SWITCH("switch", "DESIGN.md §4 switch backend (create, resume on the calling thread, suspend, values and failures across the switch)"),
    SWITCH_PINNED("pinned", "DESIGN.md §4 switch backend (a suspend while pinned fails with CoroPinnedException, never a hang)"),
    POLLER_ONCE("pollOnce", "DESIGN.md §4 poller (a readiness fires once per registration)"),
    POLLER_NONE_LOST("pollNoneLost", "DESIGN.md §4 poller (no readiness lost under register/cancel/wake-up)"),
    POLLER_WAKEUP("pollWakeup", "DESIGN.md §4 poller (a wake-up from another thread returns a blocked poll)"),
    POLLER_CLOSE("pollClose", "DESIGN.md §4 poller and §7 (close cancels what is left and leaves no fd)"),
    OBSERVABILITY("observability", "DESIGN.md §5 (stats and dump describe the run)"),
    RELIABILITY("reliability", "DESIGN.md §7 (bad input gets a specific exception naming the problem; nothing outlives a test)"),

    // dev.coro.sync (DESIGN.md §2, §3 rule 6, §7)
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
            + "primitive's model)"),
    SEMAPHORE_PERMITS("semaphorePermits", "DESIGN.md §2 Semaphore(int) (permits as in java.util.concurrent.Semaphore: "
            + "new Semaphore(0) signals, releases may go above the initial count, acquire(n) waits until n are "
            + "available; only a Semaphore(available, capacity) refuses what can never fit and over-releases)"),
    NO_ALLOCATION("noAllocation", "DESIGN.md §2 dev.coro.sync and §6 (an uncontended lock/unlock, acquire/release, "
            + "push/pop allocates nothing: error messages are built only when an error is thrown)");

    private final String prefix;
    private final String text;

    Rule(String prefix, String text) {
        this.prefix = prefix;
        this.text = text;
    }

    /** What test names start with, before the underscore: {@code rule4}, {@code pollOnce}, … */
    public String prefix() {
        return prefix;
    }

    /** The rule as a reader finds it in DESIGN.md. */
    public String text() {
        return text;
    }

    /** The rule a test or property named {@code prefix_what} checks. */
    public static Optional<Rule> ofTestName(String name) {
        int underscore = name.indexOf('_');
        if (underscore < 0) {
            return Optional.empty();
        }
        String p = name.substring(0, underscore);
        for (Rule r : values()) {
            if (r.prefix.equals(p)) {
                return Optional.of(r);
            }
        }
        return Optional.empty();
    }

    /** The start of every failure message: which rule broke. */
    public String broke() {
        return text + " broke";
    }
}
