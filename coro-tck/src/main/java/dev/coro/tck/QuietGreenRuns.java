package dev.coro.tck;

import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * A green run of the kit prints nothing: registered through {@code META-INF/services} of the kit's
 * jar, so that it is in force wherever the kit is on the test class path (surefire, Gradle, an
 * IDE). Before discovery, when jqwik reads its configuration, it sets
 * {@code jqwik.reporting.onlyfailures=true} unless the build set it (a system property, which
 * JUnit's configuration parameters fall back to) and quiets jqwik's edge-case notes.
 * Invariant: it changes only jqwik's reporting, never what a property checks.
 */
public final class QuietGreenRuns implements LauncherSessionListener {

    public static final String ONLY_FAILURES = "jqwik.reporting.onlyfailures";

    @Override
    public void launcherSessionOpened(LauncherSession session) {
        if (System.getProperty(ONLY_FAILURES) == null) {
            System.setProperty(ONLY_FAILURES, "true");
        }
        KitRunSettings.quietEdgeCaseLog();
    }
}
