package dev.coro.tck;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * What a logger logs while a check runs. coro logs through {@code System.Logger}, whose default
 * backend is {@code java.util.logging}; the JUL logger is held here while the handler is on (a
 * logger only weakly held could be collected, and its handler with it).
 */
public final class LogCapture {
    private LogCapture() {
    }

    /** Runs {@code body} and returns every record {@code logger} published meanwhile, from any thread. */
    public static List<LogRecord> during(String logger, Runnable body) {
        List<LogRecord> records = new CopyOnWriteArrayList<>();
        during(logger, records::add, body);
        return records;
    }

    /** Runs {@code body}, handing each record {@code logger} publishes meanwhile to {@code sink} as it comes. */
    public static void during(String logger, Consumer<LogRecord> sink, Runnable body) {
        Logger jul = Logger.getLogger(logger);
        Handler h = new Handler() {
            @Override
            public void publish(LogRecord r) {
                sink.accept(r);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        jul.addHandler(h);
        try {
            body.run();
        } finally {
            jul.removeHandler(h);
        }
    }
}
