package dev.coro.examples;

import dev.coro.Coro;
import dev.coro.CoroInterruptedException;
import dev.coro.CoroTimeoutException;
import dev.coro.Scheduler;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A tour of what the scheduler does today, in real time on the default backends: spawned coros and
 * their sleeps interleaving, a timeout firing, an interrupt, a failing coro that harms no one, a
 * ping-pong of context switches, and the scheduler's stats. (The c10k echo demo replaces this as
 * the main job once sockets land.)
 */
public final class Demo {
    private Demo() {
    }

    public static void main(String[] args) {
        Scheduler scheduler = Scheduler.builder().name("demo")
                .uncaughtExceptionHandler((c, t) -> say("uncaught in " + c.name() + ": " + t))
                .build();
        System.out.println("coro demo: switch backend '" + scheduler.switcherName() + "', poller '"
                + scheduler.pollerName() + "'");
        String result = scheduler.run(Demo::tour);
        System.out.println(result);
        System.out.println("stats after the run: " + scheduler.stats());
    }

    private static String tour() {
        say("spawning three workers that sleep 30, 10 and 20 ms");
        List<Coro<String>> workers = new ArrayList<>();
        for (int ms : new int[] {30, 10, 20}) {
            workers.add(Coro.spawn("sleeper-" + ms, () -> {
                Coro.sleep(Duration.ofMillis(ms));
                say(Coro.current().name() + " woke");
                return Coro.current().name();
            }));
        }
        for (Coro<String> w : workers) {
            w.join();
        }

        say("withTimeout(15 ms) around a 100 ms sleep");
        try {
            Coro.withTimeout(Duration.ofMillis(15), () -> Coro.sleep(Duration.ofMillis(100)));
        } catch (CoroTimeoutException e) {
            say("  -> " + e.getMessage());
        }

        say("interrupting a coro that sleeps for a day");
        Coro<String> sleeper = Coro.spawn("day-sleeper", () -> {
            try {
                Coro.sleep(Duration.ofDays(1));
                return "slept a day";
            } catch (CoroInterruptedException e) {
                return "interrupted with '" + e.value() + "'";
            }
        });
        Coro.sleep(Duration.ofMillis(5));
        sleeper.interrupt("wake up");
        say("  -> " + sleeper.join());

        say("a coro that fails, while another goes on");
        Coro.spawn("failing", () -> {
            throw new IllegalStateException("this coro broke");
        });
        Coro<String> survivor = Coro.spawn("survivor", () -> "survivor finished");
        say("  -> " + survivor.join());

        int rounds = 200_000;
        say("ping-pong: two coros yield to each other " + rounds + " times");
        long t0 = System.nanoTime();
        Coro<?> a = Coro.spawn("ping", () -> {
            for (int i = 0; i < rounds; i++) {
                Coro.yieldSlice();
            }
        });
        Coro<?> b = Coro.spawn("pong", () -> {
            for (int i = 0; i < rounds; i++) {
                Coro.yieldSlice();
            }
        });
        a.join();
        b.join();
        long ns = System.nanoTime() - t0;
        say(String.format("  -> %d yieldSlice round trips in %.1f ms (%.0f ns each, timer heap included)",
                2L * rounds, ns / 1e6, ns / (2.0 * rounds)));
        return "demo finished at " + Coro.now() / 1_000_000 + " ms of scheduler time";
    }

    private static void say(String what) {
        long ms;
        try {
            ms = Coro.now() / 1_000_000;
        } catch (RuntimeException outsideCoro) {
            ms = -1;
        }
        System.out.printf("[%5d ms] %s%n", ms, what);
    }
}
