package dev.coro.scheduler;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ResourceBundle;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** SPEC.md §3 rule 7: a failing logger on an error path never escapes into the loop. */
class LoopLogTest {

    /** A logger that fails like the JDK's console logger out of fds (it cannot load tzdb.dat). */
    private static final System.Logger BROKEN = new System.Logger() {
        @Override
        public String getName() {
            return "broken";
        }

        @Override
        public boolean isLoggable(Level level) {
            return true;
        }

        @Override
        public void log(Level level, ResourceBundle bundle, String msg, Throwable thrown) {
            throw new NoClassDefFoundError("Could not initialize class sun.util.calendar.ZoneInfoFile");
        }

        @Override
        public void log(Level level, ResourceBundle bundle, String format, Object... params) {
            throw new NoClassDefFoundError("Could not initialize class sun.util.calendar.ZoneInfoFile");
        }
    };

    @Test
    void rule7_aLoggerThatThrowsIsContainedAndTheRecordGoesToStandardError() {
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            LoopLog.log(BROKEN, System.Logger.Level.WARNING, "accept failed: Too many open files", new RuntimeException("x"));
            Supplier<String> lazy = () -> "lazy record";
            LoopLog.log(BROKEN, System.Logger.Level.ERROR, lazy);
        } finally {
            System.setErr(err);
        }
        String out = captured.toString(StandardCharsets.UTF_8);
        assertTrue(out.contains("accept failed: Too many open files") && out.contains("ZoneInfoFile"), out);
        assertTrue(out.contains("[coro ERROR]"), out);
    }
}
