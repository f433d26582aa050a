package dev.coro.tck.poll;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A generated sequence of poller steps over a few socket pairs ("channels"); printed one step a line
 * when it fails. A registration is for READ or WRITE of a channel's near end; WRITE steps write to
 * the far end (the near end is then readable for good); CANCEL_STALE cancels the latest registration
 * of a channel and op that already ended (a no-op, even with a newer one armed); CLOSE closes the near end behind the
 * poller's back; OWNER_CLOSE closes it and says so ({@code closedByOwner}), then cancels its
 * registrations, as a coro socket does; NOTICE calls {@code closedByOwner} for an open channel (no
 * effect).
 */
public record PollScript(int channels, List<Step> steps) {

    /** One step: what to do, to which channel, for which op (READ or WRITE; register and cancel only). */
    public record Step(Action action, int channel, int op) {
        @Override
        public String toString() {
            String ch = " c" + channel;
            String o = op == dev.coro.spi.Poller.WRITE ? " WRITE" : " READ";
            return switch (action) {
                case WAKEUP, POLL -> action.name().toLowerCase();
                case REGISTER, CANCEL, CANCEL_STALE -> action.name().toLowerCase() + ch + o;
                case WRITE, CLOSE, OWNER_CLOSE, NOTICE -> action.name().toLowerCase() + ch;
            };
        }
    }

    public enum Action { REGISTER, CANCEL, CANCEL_STALE, WRITE, WAKEUP, POLL, CLOSE, OWNER_CLOSE, NOTICE }

    @Override
    public String toString() {
        return channels + " channel(s), " + steps.size() + " step(s): " + steps.stream().map(Step::toString)
                .collect(Collectors.joining("; "));
    }
}
