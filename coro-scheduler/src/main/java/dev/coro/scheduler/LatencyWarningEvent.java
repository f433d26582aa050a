package dev.coro.scheduler;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;

/** JFR event for a coro that ran past the latency threshold without switching. */
@Name("dev.coro.LatencyWarning")
@Label("Coro Latency Warning")
@Category("coro")
@Description("A coro ran longer than the latency threshold without switching")
final class LatencyWarningEvent extends jdk.jfr.Event {
    @Label("Coro id")
    long coroId;
    @Label("Coro name")
    String coroName;
    @Label("Ran (ms)")
    long runMillis;
}
