package dev.coro.examples;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** The README's main job: the demo runs to the end and shows each thing it claims to show. */
class DemoTest {

    @Test
    void demoShowsSpawnSleepsTimeoutInterruptFailureIsolationAndStats() {
        PrintStream old = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            Demo.main(new String[0]);
        } finally {
            System.setOut(old);
        }
        String text = out.toString(StandardCharsets.UTF_8);
        for (String expected : new String[] {
                "sleeper-10 woke", "sleeper-20 woke", "sleeper-30 woke",
                "-> timed out after PT0.015S",
                "-> interrupted with 'wake up'",
                "uncaught in failing: java.lang.IllegalStateException: this coro broke",
                "-> survivor finished",
                "yieldSlice round trips",
                "stats after the run: SchedulerStats[switches="}) {
            assertTrue(text.contains(expected), "missing '" + expected + "' in:\n" + text);
        }
        assertTrue(text.indexOf("sleeper-10 woke") < text.indexOf("sleeper-20 woke")
                && text.indexOf("sleeper-20 woke") < text.indexOf("sleeper-30 woke"), "sleepers woke out of order:\n" + text);
    }
}
