package dev.coro.examples;

import dev.coro.Scheduler;

/** Run in a JVM of its own by {@link BackendSelectionTest}: builds a scheduler and prints the outcome. */
public final class SelectionProbe {
    private SelectionProbe() {
    }

    public static void main(String[] args) {
        try {
            Scheduler.Builder b = Scheduler.builder();
            if (args.length > 0) {
                b.switcher(args[0]);
            }
            System.out.println("built with " + b.build().switcherName());
        } catch (RuntimeException e) {
            System.out.println(e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }
}
