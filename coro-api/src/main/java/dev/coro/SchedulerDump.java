package dev.coro;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Every live coro of a running scheduler at one moment (SPEC.md §5), from {@link Scheduler#dumpState()};
 * {@link #toText()} is {@link Scheduler#dump()}. Coros with the same state, kind of wait and stack
 * form one {@link Group}, so that 10,000 connections waiting in the same {@code recv} read as one entry.
 *
 * @param scheduler   the scheduler's name
 * @param switcher    the switch backend, as it describes itself
 * @param poller      the poller's name
 * @param virtualTime whether the scheduler runs on virtual time
 * @param nowNanos    the scheduler's clock when the dump was taken
 * @param coros       every live coro, newest first
 */
public record SchedulerDump(String scheduler, String switcher, String poller, boolean virtualTime, long nowNanos,
                            List<CoroDump> coros) {
    /** How many coros of a group {@link #toText()} lists one by one. */
    public static final int LISTED_PER_GROUP = 10;

    public SchedulerDump {
        Objects.requireNonNull(scheduler, "scheduler");
        coros = List.copyOf(coros);
    }

    /**
     * Coros with an equal state, kind of wait and stack, largest group first (ties: in the order of
     * {@link #coros}).
     *
     * @param count  how many coros share it
     * @param state  their state
     * @param kind   their {@link CoroDump.Wait#kind()}, or null for running and runnable coros
     * @param stack  their common stack
     * @param coros  the coros, in the order of {@link SchedulerDump#coros()}
     */
    public record Group(int count, CoroDump.State state, String kind, List<StackTraceElement> stack,
                        List<CoroDump> coros) {
        public Group {
            stack = List.copyOf(stack);
            coros = List.copyOf(coros);
        }
    }

    /** The coros grouped by state, kind of wait and stack. */
    public List<Group> groups() {
        record Key(CoroDump.State state, String kind, List<StackTraceElement> stack) {
        }
        Map<Key, List<CoroDump>> byKey = new LinkedHashMap<>();
        for (CoroDump c : coros) {
            Key k = new Key(c.state(), c.waitingFor() == null ? null : c.waitingFor().kind(), c.stack());
            byKey.computeIfAbsent(k, x -> new ArrayList<>()).add(c);
        }
        List<Group> groups = new ArrayList<>(byKey.size());
        byKey.forEach((k, cs) -> groups.add(new Group(cs.size(), k.state(), k.kind(), k.stack(), cs)));
        groups.sort((a, b) -> Integer.compare(b.count(), a.count())); // stable: ties keep their order
        return groups;
    }

    /**
     * The readable form: a header, then each group — its size, state and kind of wait, up to
     * {@value #LISTED_PER_GROUP} of its coros (id, name, age, what each waits on and for how long),
     * and its stack once.
     */
    public String toText() {
        StringBuilder sb = new StringBuilder();
        List<Group> groups = groups();
        sb.append("scheduler '").append(scheduler).append("' (switch ").append(switcher).append(", poller ")
                .append(poller).append(virtualTime ? ", virtual time" : "").append("): ").append(coros.size())
                .append(coros.size() == 1 ? " live coro" : " live coros").append(" in ").append(groups.size())
                .append(groups.size() == 1 ? " group" : " groups").append(", at ").append(seconds(nowNanos))
                .append('\n');
        for (Group g : groups) {
            sb.append('\n').append(g.count()).append(g.count() == 1 ? " coro " : " coros ").append(g.state());
            if (g.kind() != null) {
                sb.append(" on ").append(g.kind());
            }
            sb.append(g.count() > 1 ? ", same stack:\n" : ":\n");
            int listed = Math.min(g.count(), LISTED_PER_GROUP);
            for (int i = 0; i < listed; i++) {
                appendCoro(sb, g.coros().get(i));
            }
            if (g.count() > listed) {
                sb.append("    … and ").append(g.count() - listed).append(" more\n");
            }
            for (StackTraceElement e : g.stack()) {
                sb.append("      at ").append(e).append('\n');
            }
        }
        return sb.toString();
    }

    private static void appendCoro(StringBuilder sb, CoroDump c) {
        sb.append("    ").append(c.summary()).append('\n');
    }

    /** Nanoseconds as seconds with millisecond precision, e.g. {@code 1.250 s}. */
    static String seconds(long nanos) {
        long ms = Math.floorDiv(nanos, 1_000_000L);
        return (ms < 0 ? "-" : "") + Math.abs(ms) / 1000 + "." + String.format("%03d", Math.abs(ms) % 1000) + " s";
    }
}
