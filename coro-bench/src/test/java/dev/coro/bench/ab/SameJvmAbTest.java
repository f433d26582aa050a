package dev.coro.bench.ab;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SameJvmAbTest {

    /** This build's coro classes, where the test's class path has them (a module's classes or jar). */
    private static List<Path> thisBuild() throws Exception {
        List<Path> out = new ArrayList<>();
        for (String name : new String[]{"dev.coro.Scheduler", "dev.coro.scheduler.CoroSchedulerFactory",
                "dev.coro.nativeswitch.NativeSwitchProvider", "dev.coro.loomswitch.LoomSwitchProvider",
                "dev.coro.poll.nio.NioPollerProvider"}) {
            out.add(Path.of(Class.forName(name).getProtectionDomain().getCodeSource().getLocation().toURI()));
        }
        return out;
    }

    @Test
    void eachSideLoadsItsOwnCopyOfCoroAndBothRunTheProbe() throws Throwable {
        SameJvmAb.Side a = SameJvmAb.load("A", thisBuild());
        SameJvmAb.Side b = SameJvmAb.load("B", thisBuild());
        Class<?> schedulerA = a.loader().loadClass("dev.coro.Scheduler");
        Class<?> schedulerB = b.loader().loadClass("dev.coro.Scheduler");
        assertNotSame(schedulerA, schedulerB, "the two sides share their coro classes");
        assertNotSame(dev.coro.Scheduler.class, schedulerA, "side A uses the application's coro classes");
        assertSame(a.loader(), schedulerA.getClassLoader());
        for (String sw : new String[]{"native", "loom"}) {
            PairedRatios r = SameJvmAb.compare(a, b, new SameJvmAb.Probe("yield", sw, 2_000, 1), 3, 1);
            double median = r.ratioQuantile(0.5);
            assertTrue(r.medianA() > 0 && r.medianB() > 0, r.summary());
            assertTrue(median > 0.05 && median < 20, "an A/A ratio far from 1: " + r.summary());
        }
    }

    @Test
    void theTimersProbeRunsItsSleepers() throws Throwable {
        SameJvmAb.Side a = SameJvmAb.load("A", thisBuild());
        double perSleep = a.time(new SameJvmAb.Probe("timers", "native", AbProbes.SLEEPERS, 1));
        assertTrue(perSleep > 0 && Double.isFinite(perSleep), "ns a sleep: " + perSleep);
    }

    @Test
    void aSideWithoutCoroClassesIsAClearError(@TempDir Path empty) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SameJvmAb.load("A", List.of(empty)));
        assertTrue(e.getMessage().contains("no dev.coro.Scheduler"), e.getMessage());
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> SameJvmAb.load("B", List.of(empty.resolve("absent"))));
        assertTrue(missing.getMessage().contains("does not exist"), missing.getMessage());
    }

    @Test
    void anUnknownProbeSaysWhichThereAre() throws Throwable {
        SameJvmAb.Side a = SameJvmAb.load("A", thisBuild());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> a.time(new SameJvmAb.Probe("nope", "native", 1, 1)));
        assertTrue(e.getMessage().contains("yield, condvar, echo, timers"), e.getMessage());
    }

    @Test
    void ratiosArePerPairAndQuantilesInterpolate() {
        PairedRatios r = new PairedRatios(4);
        r.add(100, 110); // 1.10
        r.add(200, 180); // 0.90
        r.add(100, 100); // 1.00
        r.add(50, 60);   // 1.20
        assertEquals(1.05, r.ratioQuantile(0.5), 1e-9);
        assertEquals(0.975, r.ratioQuantile(0.25), 1e-9);
        assertEquals(100.0, r.medianA(), 1e-9);
        assertEquals(105.0, r.medianB(), 1e-9);
        assertThrows(IllegalArgumentException.class, () -> r.add(0, 1));
        assertThrows(IllegalArgumentException.class, () -> new PairedRatios(0));
    }
}
