package dev.coro.tck.scheduler;

import dev.coro.CoroInterruptedException;
import dev.coro.CoroShutdownException;

/** How traces name a coro's failure, the same for the real run and the model. */
final class Outcomes {
    private Outcomes() {
    }

    /** The failure a {@link Op.Throw} raises. */
    static final class ProgramFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        ProgramFailure(int coro) {
            super("c" + coro + " threw", null, false, false);
        }
    }

    static String describe(Throwable t) {
        return switch (t) {
            case CoroShutdownException s -> "shutdown";
            case CoroInterruptedException i -> "interrupted " + i.value();
            case ProgramFailure p -> p.getMessage();
            default -> t.toString();
        };
    }
}
