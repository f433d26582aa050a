package dev.coro.tck;

import java.util.Optional;

/**
 * The contract the kit checks: SPEC.md §3 rules 1–10 and the §2 (including dev.coro.sync and
 * dev.coro.net), §4, §5 and §7 promises, one constant each, with the anchor that links to it
 * ({@code SPEC.md#rule-4}).
 * Invariant: every test and property of the kit is named {@code <prefix>_what} where
 * {@code <prefix>} is one constant's {@link #prefix()}, so that any failure can name its rule; a
 * failure message starts with {@link #broke()} exactly once.
 */
public enum Rule {
    RULE_1("rule1", "rule-1", "§3 rule 1 (spawn appends the new coro to pending; the caller keeps running)"),
    RULE_2("rule2", "rule-2", "§3 rule 2 (one loop iteration: timers in (deadline, insertion) order, then run passes in "
            + "schedule order, then I/O)"),
    RULE_3("rule3", "rule-3", "§3 rule 3 (yieldSlice runs again only after the next timer and I/O phase; batch cap)"),
    RULE_4("rule4", "rule-4", "§3 rule 4 (no wake-up before the deadline; equal deadlines wake in call order)"),
    RULE_5("rule5", "rule-5", "§3 rule 5 (withTimeout: value or CoroTimeoutException from the owning frame; timebomb "
            + "removed)"),
    RULE_6("rule6", "rule-6", "§3 rule 6 (interrupt raises at the suspension point; the target leaves its wait queue)"),
    RULE_7("rule7", "rule-7", "§3 rule 7 (an escaping exception goes to the handler and joiners; the rest goes on)"),
    RULE_8("rule8", "rule-8", "§3 rule 8 (run returns when main ends; every other coro is shut down; no coro, fd or "
            + "thread left)"),
    RULE_9("rule9", "rule-9", "§3 rule 9 (a coro that runs past the threshold is reported with name and stack)"),
    RULE_10("rule10", "rule-10", "§3 rule 10 (virtual time moves only when nothing is runnable, straight to the next "
            + "deadline)"),
    SCHEDULING("section3", "scheduling", "§3 (the scheduling rules together: a random program gives the reference "
            + "model's trace)"),
    API("api", "api", "§2 (user API: run, submit/execute, await/blocking, close)"),
    SWITCH("switch", "switch-backend", "§4 switch backend (create gives a suspended coroutine; resume runs exactly it "
            + "until it suspends, blocks or ends; suspend switches back; values and failures cross the switch; the "
            + "limits a backend declares)"),
    SWITCH_STATE("switchState", "switch-backend", "§4 switch backend (name(), attachment() and stackTrace() stay "
            + "right for every coroutine across any order of resumes; an unnamed one is named by its host)"),
    SWITCH_PINNED("pinned", "switch-backend", "§4 switch backend (a suspend while pinned throws CoroPinnedException "
            + "and does not switch, every time; never a hang)"),
    SWITCH_CLOSE("switchClose", "switch-backend", "§4 switch backend (close() releases every thread and resource; "
            + "suspended coroutines are abandoned; idempotent)"),
    POLLER_ONCE("pollOnce", "poller", "§4 poller (a readiness fires once per registration)"),
    POLLER_NONE_LOST("pollNoneLost", "poller", "§4 poller (no readiness lost under register/cancel/wake-up)"),
    POLLER_WAKEUP("pollWakeup", "poller", "§4 poller (wakeup() from any thread makes the current or next poll return "
            + "promptly)"),
    POLLER_TIMEOUT("pollTimeout", "poller", "§4 poller (poll(timeout) with nothing ready waits its timeout, no less "
            + "and not much more; 0 does not wait; negative waits for readiness or a wake-up, never two early returns "
            + "in a row: an idle loop does not spin)"),
    POLLER_COUNT("pollCount", "poller", "§4 poller (registrations() counts the registrations not yet reported or "
            + "cancelled)"),
    POLLER_CLOSE("pollClose", "poller", "§4 poller and §7 (close cancels what is left and leaves no fd)"),
    OS_EVENTS("osEvents", "os-events", "§4 waits beyond sockets (a signal, a process exit, a file change wakes its "
            + "waiter with what happened, on every poller; a timeout or interrupt ends the wait and leaves nothing)"),
    OBSERVABILITY("observability", "observability", "§5 (stats and dump describe the run)"),
    RELIABILITY("reliability", "reliability", "§7 (bad input gets a specific exception naming the problem; nothing "
            + "outlives a test)"),
    FAULTS("faults", "fault-injection", "§7 fault injection (under EAGAIN storms, 1-byte writes, spurious readiness, "
            + "interrupted polls, resets and EMFILE on accept the scheduler and every coro go on; a reset fails only the "
            + "coro using that socket, as ConnectionResetException; no other connection loses or reorders a byte)"),
    NET("net", "net", "§2 dev.coro.net (sockets over the poller: I/O is tried first and waits only when it would "
            + "block, or after a read that emptied the socket; a close from any thread wakes its waiters with SocketClosedException, "
            + "and returns only once the channel is closed, also when another close was in progress; a peer's reset is "
            + "ConnectionResetException; a timeout or interrupt loses no byte read)"),

    // dev.coro.sync (SPEC.md §2, §3 rule 6, §7)
    FIFO("fifoService", "api", "§2 dev.coro.sync (waiters are served FIFO)"),
    NO_LOST_WAKEUP("noLostWakeup", "rule-6", "§3 rule 6 (a waiter leaving by timeout or interrupt is removed from the "
            + "wait queue; no other waiter loses a wake-up, a lock, permits or an item)"),
    TIMED_WAIT("timedWait", "api", "§2 dev.coro.sync (every wait has a timed variant: CoroTimeoutException, "
            + "and nothing is left behind)"),
    CONDVAR("condVar", "api", "§2 CondVar (await returns the wake's value; wakeOne/wakeN/wakeAll/raiseAll)"),
    MUTEX("mutexOwnership", "api", "§2 Mutex (owned, re-entrant, handed straight to the next waiter; "
            + "unlock by a non-owner is a clear error)"),
    HEAD_OF_LINE("headOfLine", "api", "§2 Semaphore (FIFO: a big request at the head is not starved; "
            + "a request above a bounded semaphore's capacity is a clear error, not a hang)"),
    INVERTED("invertedSemaphore", "api", "§2 InvertedSemaphore (acquire adds, release subtracts, awaitZero "
            + "waits for zero)"),
    RW_POLICY("rwPolicy", "api", "§2 RwLock (readers share, writers exclusive, FIFO: no writer starvation)"),
    FIFO_QUEUE("fifoQueue", "api", "§2 Fifo (bounded and unbounded, blocking pop, popAll, pushFromAnyThread)"),
    CORO_LOCAL("coroLocal", "api", "§2 CoroLocal (per-coro values, initial supplier, dropped when the coro ends)"),
    IN_PARALLEL("inParallel", "api", "§2 InParallel (every result or failure, in order, none lost)"),
    BINDING("binding", "api", "§2 dev.coro.sync (new needs no scheduler; a primitive binds to the run of its "
            + "first user; use outside it is a clear error)"),
    BAD_INPUT("badInput", "reliability", "§7 (bad arguments get a specific exception naming the problem)"),
    MODEL("model", "api", "§2 and §3 rule 6 (random interleavings of wait/wake/timeout/interrupt agree with the "
            + "primitive's model)"),
    SEMAPHORE_PERMITS("semaphorePermits", "api", "§2 Semaphore(int) (permits as in java.util.concurrent.Semaphore: "
            + "new Semaphore(0) signals, releases may go above the initial count, acquire(n) waits until n are "
            + "available; only a Semaphore(available, capacity) refuses what can never fit and over-releases)"),
    NO_ALLOCATION("noAllocation", "api", "§2 dev.coro.sync and §6 (an uncontended lock/unlock, acquire/release, "
            + "push/pop allocates nothing: error messages are built only when an error is thrown)");

    /** The specification every rule is in, relative to the repository root. */
    public static final String SPEC = "SPEC.md";

    private final String prefix;
    private final String anchor;
    private final String text;

    Rule(String prefix, String anchor, String text) {
        this.prefix = prefix;
        this.anchor = anchor;
        this.text = SPEC + " " + text;
    }

    /** What test names start with, before the underscore: {@code rule4}, {@code pollOnce}, … */
    public String prefix() {
        return prefix;
    }

    /** Where the rule is: {@code SPEC.md#rule-4}, {@code SPEC.md#poller}, … (an anchor of SPEC.md). */
    public String anchor() {
        return SPEC + "#" + anchor;
    }

    /** The rule as a reader finds it in SPEC.md: its section and number, then what it says. */
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

    /** The start of every failure message: which rule broke, and where to read it. */
    public String broke() {
        return text + " broke [" + anchor() + "]";
    }

    /** True if {@code message} already starts with the name of some rule (so it must not be named again). */
    public static boolean named(String message) {
        if (message == null) {
            return false;
        }
        for (Rule r : values()) {
            if (message.startsWith(r.broke())) {
                return true;
            }
        }
        return false;
    }
}
