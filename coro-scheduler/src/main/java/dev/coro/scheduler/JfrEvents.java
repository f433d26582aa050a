package dev.coro.scheduler;

/**
 * Where the loop makes its JFR events ({@link LongPollEvent}, {@link SelfishYieldEvent},
 * {@link CoroLifetimeEvent}), at no cost while nothing records them.
 *
 * <p>Until JFR first starts in this JVM (a {@code -XX:StartFlightRecording}, a {@code jcmd JFR.start},
 * a {@code jdk.jfr.Recording}) no event can be on, and these make none: the first use of an event
 * class initialises it, which registers it with JFR and loads all of JFR's metadata — hundreds of
 * milliseconds, on the loop. After that an event is made on the caller's stack (scalar-replaced when
 * it is off) and does nothing unless recorded. This class is not an event, so calling it initialises
 * none.
 */
final class JfrEvents {
    private JfrEvents() {
    }

    /** A begun long-poll event for a poll about to start, or null before JFR has started. */
    static LongPollEvent longPoll() {
        if (!jdk.jfr.FlightRecorder.isInitialized()) {
            return null;
        }
        LongPollEvent e = new LongPollEvent();
        e.begin();
        return e;
    }

    /** A begun selfish-yield event for a yield about to happen, or null before JFR has started. */
    static SelfishYieldEvent selfishYield() {
        if (!jdk.jfr.FlightRecorder.isInitialized()) {
            return null;
        }
        SelfishYieldEvent e = new SelfishYieldEvent();
        e.begin();
        return e;
    }

    /** Records {@code c}, which is ending, if JFR records coro lifetimes and it lived long enough. */
    static void coroEnded(CoroImpl<?> c) {
        if (jdk.jfr.FlightRecorder.isInitialized()) {
            new CoroLifetimeEvent().report(c);
        }
    }
}
