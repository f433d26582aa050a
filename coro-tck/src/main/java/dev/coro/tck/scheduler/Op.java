package dev.coro.tck.scheduler;

import java.util.List;
import java.util.stream.Collectors;

/**
 * One operation of a generated coro program. Invariant: a program's ops only name coros that exist
 * in it ({@link Program} normalises them), and withTimeout bodies nest at most 3 deep.
 */
public sealed interface Op {

    /** {@code Coro.spawn} of child coro {@code child} (each child is spawned by exactly one op). */
    record Spawn(int child) implements Op {
        @Override
        public String toString() {
            return "spawn c" + child;
        }
    }

    /** {@code Coro.yieldSlice()}. */
    record Yield() implements Op {
        @Override
        public String toString() {
            return "yield";
        }
    }

    /** {@code Coro.sleep(ms)}. */
    record Sleep(int ms) implements Op {
        @Override
        public String toString() {
            return "sleep " + ms;
        }
    }

    /** {@code Coro.sleepUntil(ms)} (absolute virtual time). */
    record SleepUntil(int ms) implements Op {
        @Override
        public String toString() {
            return "sleepUntil " + ms;
        }
    }

    /** {@code Coro.withTimeout(ms, body)}; a CoroTimeoutException of this frame is caught and the program goes on. */
    record WithTimeout(int ms, List<Op> body) implements Op {
        @Override
        public String toString() {
            return "withTimeout " + ms + " { " + body.stream().map(Op::toString).collect(Collectors.joining("; ")) + " }";
        }
    }

    /** {@code c<target>.interrupt(value)}; a ScheduleException (dead, not started) is caught and logged. */
    record Interrupt(int target) implements Op {
        @Override
        public String toString() {
            return "interrupt c" + target;
        }
    }

    /** {@code c<target>.join()}; the target's own failure is caught and logged. */
    record Join(int target) implements Op {
        @Override
        public String toString() {
            return "join c" + target;
        }
    }

    /**
     * {@code body} {@code times} times over: a long-running coro. Only in generated raw scripts:
     * {@link Program#of} unrolls it, so that the run and the model see plain ops.
     */
    record Repeat(int times, List<Op> body) implements Op {
        @Override
        public String toString() {
            return "repeat " + times + " { " + body.stream().map(Op::toString).collect(Collectors.joining("; ")) + " }";
        }
    }

    /** Throws a failure that ends the coro (rule 7). */
    record Throw() implements Op {
        @Override
        public String toString() {
            return "throw";
        }
    }
}
