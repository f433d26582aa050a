package dev.coro.console;

import dev.coro.Coro;
import dev.coro.CoroDump;
import dev.coro.CoroInterruptedException;
import dev.coro.Profiler;
import dev.coro.ScheduleException;
import dev.coro.Scheduler;
import dev.coro.SchedulerStats;
import dev.coro.scheduler.ConsoleSupport;

import java.util.List;
import java.util.Locale;

/**
 * The console's commands: one line in, one answer out. Runs in a console session's coro, on the loop
 * of the scheduler it observes. Never throws for anything a client can type: a bad line is an answer
 * starting {@code "error: "}.
 */
final class Commands {
    static final String HELP = """
            stats                 the scheduler's counters (Scheduler.stats())
            dump                  every live coro with its state and stack (Scheduler.dump())
            coros                 every live coro: id, name, state, what it waits for (no stacks: cheap)
            interrupt ID          interrupt the live coro #ID (CoroInterruptedException at its suspension point)
            profile on|off|report start a new profile, stop it, or show it (busiest first)
            help                  this list
            quit                  end this session
            """;
    /** How much of an unknown command is echoed in its error line. */
    private static final int ECHO_LIMIT = 40;

    private final Scheduler scheduler;
    /** Who interrupts, for the interrupt's value. */
    private final String who;

    Commands(Scheduler scheduler, String who) {
        this.scheduler = scheduler;
        this.who = who;
    }

    /** What a command gives: its text (each line ends with a newline) and whether the session ends. */
    record Answer(String text, boolean last) {
        static Answer of(String text) {
            return new Answer(text, false);
        }

        static Answer error(String why) {
            return new Answer("error: " + why + "\n", false);
        }
    }

    Answer execute(String line) {
        String[] words = line.strip().split("\\s+");
        String verb = words[0].toLowerCase(Locale.ROOT);
        try {
            return switch (verb) {
                case "" -> Answer.of("");
                case "help", "?" -> Answer.of(HELP);
                case "stats" -> words.length == 1 ? Answer.of(stats(scheduler.stats())) : usage("stats");
                case "dump" -> words.length == 1 ? Answer.of(scheduler.dump()) : usage("dump");
                case "coros" -> words.length == 1 ? Answer.of(coros()) : usage("coros");
                case "interrupt" -> words.length == 2 ? interrupt(words[1]) : usage("interrupt ID");
                case "profile" -> words.length == 2 ? profile(words[1].toLowerCase(Locale.ROOT)) : usage("profile on|off|report");
                case "quit", "exit" -> new Answer("bye\n", true);
                default -> Answer.error("unknown command '" + printable(words[0]) + "' ('help' lists the commands)");
            };
        } catch (CoroInterruptedException e) {
            throw e; // the session coro's own interrupt or shutdown: it ends the session, not this command
        } catch (RuntimeException e) {
            // A command that fails (a dump that cannot be made, say) is an answer, not the session's end.
            return Answer.error(verb + " failed: " + e);
        }
    }

    private static Answer usage(String form) {
        return Answer.error("usage: " + form);
    }

    static String stats(SchedulerStats s) {
        SchedulerStats.Phases p = s.phases();
        long busy = p.runNanos(), idle = s.pollWaitNanos();
        return line("switches", s.switches()) + line("passes", s.passes()) + line("timersFired", s.timersFired())
                + line("ioEvents", s.ioEvents()) + line("liveCoros", s.liveCoros())
                + line("runQueueLength", s.runQueueLength()) + line("timerHeapSize", s.timerHeapSize())
                + line("waits", s.waits()) + line("iterations", p.iterations()) + line("timerPhases", p.timerPhases())
                + line("runPhases", p.runPhases()) + line("cutShortPhases", p.cutShortPhases())
                + line("largestBatch", p.largestBatch()) + line("polls", p.polls())
                + line("runNanos", busy) + line("pollWaitNanos", idle)
                + String.format(Locale.ROOT, "%-16s %.1f%% running coros, %.1f%% waiting in poll (of the two)%n",
                "busy", busy + idle == 0 ? 0.0 : 100.0 * busy / (busy + idle),
                busy + idle == 0 ? 0.0 : 100.0 * idle / (busy + idle));
    }

    private static String line(String name, long value) {
        return String.format(Locale.ROOT, "%-16s %d%n", name, value);
    }

    private static String coros() {
        List<CoroDump> all = ConsoleSupport.coros().coros();
        StringBuilder sb = new StringBuilder().append(all.size()).append(" live coro(s)\n");
        for (CoroDump c : all) {
            sb.append("  ").append(c.summary()).append('\n');
        }
        return sb.toString();
    }

    private Answer interrupt(String idText) {
        long id;
        try {
            id = Long.parseLong(idText.startsWith("#") ? idText.substring(1) : idText);
        } catch (NumberFormatException e) {
            return Answer.error("interrupt takes a coro id (a number, as 'coros' lists them), got '"
                    + printable(idText) + "'");
        }
        Coro<?> c = ConsoleSupport.findLive(id);
        if (c == null) {
            return Answer.error("no live coro #" + id + " (it never existed in this run, or it has finished)");
        }
        try {
            c.interrupt("interrupted from " + who);
        } catch (ScheduleException e) {
            return Answer.error(e.getMessage()); // this session itself, or one that has not started yet
        }
        return Answer.of("interrupted coro #" + c.id() + " '" + c.name() + "'\n");
    }

    private Answer profile(String what) {
        Profiler p = scheduler.profiler();
        return switch (what) {
            case "on" -> {
                p.start();
                yield Answer.of("profiler on (a new profile; 'profile report' shows it)\n");
            }
            case "off" -> {
                p.stop();
                yield Answer.of("profiler off (its counts stay for 'profile report')\n");
            }
            case "report" -> Answer.of(p.report().table());
            default -> usage("profile on|off|report");
        };
    }

    /** At most {@link #ECHO_LIMIT} characters of what a client typed, control characters shown as '?'. */
    private static String printable(String s) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length() && i < ECHO_LIMIT; i++) {
            char ch = s.charAt(i);
            sb.append(Character.isISOControl(ch) ? '?' : ch);
        }
        return s.length() > ECHO_LIMIT ? sb.append("…").toString() : sb.toString();
    }
}
