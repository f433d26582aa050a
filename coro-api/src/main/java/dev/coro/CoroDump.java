package dev.coro;

import java.util.List;
import java.util.Objects;

/**
 * One live coro as {@link Scheduler#dumpState()} saw it (SPEC.md §5): who it is, how old it is, what
 * it is doing or waiting for, and where (its stack). Times are on the scheduler's clock (virtual
 * under {@code virtualTime()}), in nanoseconds.
 *
 * @param id       the coro's id
 * @param name     the coro's name
 * @param ageNanos time since it was spawned
 * @param state    what it is doing
 * @param waitingFor what it waits for; null when it is {@link State#RUNNING} or {@link State#RUNNABLE}
 * @param stack    where it is, innermost frame first (a suspended coro: where it suspended)
 */
public record CoroDump(long id, String name, long ageNanos, State state, Wait waitingFor, List<StackTraceElement> stack) {

    public CoroDump {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(state, "state");
        stack = List.copyOf(stack);
    }

    /** What a live coro is doing. */
    /**
     * One line without the stack, as the text dump lists each coro: {@code coro #4 'sleeper' SLEEPING,
     * age 2.000 s: sleep until 86400.001 s, for 2.000 s}.
     */
    public String summary() {
        StringBuilder sb = new StringBuilder("coro #").append(id).append(" '").append(name).append("' ")
                .append(state).append(", age ").append(SchedulerDump.seconds(ageNanos));
        if (waitingFor != null) {
            sb.append(": ").append(waitingFor.on());
            if (waitingFor.untilNanos() >= 0) {
                sb.append(" until ").append(SchedulerDump.seconds(waitingFor.untilNanos()));
            }
            sb.append(", for ").append(SchedulerDump.seconds(waitingFor.waitedNanos()));
        }
        return sb.toString();
    }

    public enum State {
        /** Running now (the coro that asked for the dump, or the one the loop is running). */
        RUNNING,
        /** Scheduled to run (spawned and not started, woken and not yet resumed, or yielded). */
        RUNNABLE,
        /** In {@code sleep}/{@code sleepUntil}; {@link Wait#untilNanos()} is the deadline. */
        SLEEPING,
        /** Suspended in a wait of coro's: a primitive, a join, a socket, an OS event, a future, a blocking call. */
        WAITING,
        /** Inside a JDK call that parked it ({@code loom} only); the JDK wakes it. */
        BLOCKED
    }

    /**
     * What a coro waits for.
     *
     * @param kind          what sort of wait: {@code sleep}, {@code join}, {@code socket}, {@code OS event},
     *                      {@code future}, {@code blocking call}, {@code JDK call}, or the primitive's class
     *                      ({@code Mutex}, {@code CondVar}, {@code Semaphore}, {@code RwLock},
     *                      {@code InvertedSemaphore}, {@code Fifo})
     * @param on            one line naming the thing waited on (a primitive's state, a socket's addresses)
     * @param waitedNanos   how long it has waited so far (to within one loop iteration)
     * @param untilNanos    a sleep's deadline on the scheduler's clock; -1 for other waits
     * @param holderId      the coro that holds what it waits for (a Mutex's owner, an RwLock's writer)
     *                      or the coro it joins; 0 when none
     * @param remoteAddress a socket's remote address; null for other waits or an unconnected socket
     * @param operation     a socket wait's operation: {@code read}, {@code write}, {@code accept} or
     *                      {@code connect}; null for other waits
     */
    public record Wait(String kind, String on, long waitedNanos, long untilNanos, long holderId,
                       String remoteAddress, String operation) {
        public Wait {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(on, "on");
        }
    }
}
