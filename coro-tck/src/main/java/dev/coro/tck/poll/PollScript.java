package dev.coro.tck.poll;

import java.util.List;
import java.util.stream.Collectors;

/** A generated sequence of poller steps over a few pipes; printed one step a line when it fails. */
public record PollScript(int pipes, List<Step> steps) {

    /** One step: what to do and to which pipe. */
    public record Step(Action action, int pipe) {
        @Override
        public String toString() {
            return action == Action.WAKEUP || action == Action.POLL ? action.name().toLowerCase()
                    : action.name().toLowerCase() + " p" + pipe;
        }
    }

    public enum Action { REGISTER, CANCEL, WRITE, WAKEUP, POLL }

    @Override
    public String toString() {
        return pipes + " pipe(s): " + steps.stream().map(Step::toString).collect(Collectors.joining("; "));
    }
}
