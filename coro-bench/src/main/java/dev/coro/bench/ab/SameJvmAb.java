package dev.coro.bench.ab;

import java.io.File;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Times one of {@link AbProbes} on two builds of coro in one JVM ({@code bin/ab} runs it): each build's
 * classes in a class loader of their own, run back to back in pairs, A first in one pair and B first
 * in the next. On a shared host, separate JVMs of one build differ by ±15%; a pair in one JVM shares
 * the host's state of that second, so its ratio resolves a few percent (see {@link PairedRatios}).
 *
 * <p>Usage: {@code SameJvmAb --a PATH[:PATH...] --b PATH[:PATH...] [--probe yield|condvar|echo|timers]
 * [--switch native|loom] [--pairs N] [--ops N] [--warmup N] [--connections N]} (the last for the echo
 * probe), where each side's paths hold that build's coro classes (its modules' {@code target/classes}).
 * The probe's own class comes from this class's location, for both sides, so it must compile against
 * both builds.
 *
 * <p>Caveat: the JDK's own code is shared, so its JIT profiles see both builds' classes (a call site
 * that was monomorphic in one build is bimorphic here): absolute times run above a JVM of one build,
 * for both sides alike.
 */
public final class SameJvmAb {

    /** One build under test: its loader and its copy of {@link AbProbes#run}. */
    record Side(String label, ClassLoader loader, MethodHandle run) {
        double time(Probe p) throws Throwable {
            return (double) run.invokeExact(p.name, p.switchName, p.ops, p.connections);
        }
    }

    /** What both sides run: {@link AbProbes#run}'s arguments. */
    record Probe(String name, String switchName, int ops, int connections) {
    }

    private SameJvmAb() {
    }

    public static void main(String[] args) throws Throwable {
        String a = null, b = null, probe = "yield", switchName = "native";
        int pairs = 40, ops = 100_000, warmup = 10, connections = AbProbes.ECHO_CONNECTIONS;
        for (int i = 0; i < args.length; i++) {
            String flag = args[i];
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(flag + " needs a value");
            }
            String v = args[++i];
            switch (flag) {
                case "--a" -> a = v;
                case "--b" -> b = v;
                case "--probe" -> probe = v;
                case "--switch" -> switchName = v;
                case "--pairs" -> pairs = positive(flag, v);
                case "--ops" -> ops = positive(flag, v);
                case "--warmup" -> warmup = positive(flag, v);
                case "--connections" -> connections = positive(flag, v);
                default -> throw new IllegalArgumentException("unknown flag " + flag
                        + " (--a, --b, --probe, --switch, --pairs, --ops, --warmup, --connections)");
            }
        }
        if (a == null || b == null) {
            throw new IllegalArgumentException("--a and --b (each build's class path) are both needed");
        }
        Probe p = new Probe(probe, switchName, ops, connections);
        PairedRatios r = compare(load("A", paths(a)), load("B", paths(b)), p, pairs, warmup);
        System.out.println(probe + " (" + switchName + ", " + ops + " ops a run"
                + (probe.equals("echo") ? ", " + connections + " connections" : "") + "): " + r.summary());
    }

    /** Runs {@code warmup} rounds of both sides, then {@code pairs} pairs, alternating which goes first. */
    static PairedRatios compare(Side a, Side b, Probe p, int pairs, int warmup) throws Throwable {
        for (int i = 0; i < warmup; i++) {
            a.time(p);
            b.time(p);
        }
        PairedRatios r = new PairedRatios(pairs);
        for (int k = 0; k < pairs; k++) {
            double ta, tb;
            if (k % 2 == 0) {
                ta = a.time(p);
                tb = b.time(p);
            } else {
                tb = b.time(p);
                ta = a.time(p);
            }
            r.add(ta, tb);
        }
        return r;
    }

    /**
     * A side over {@code classPath} (one build's coro classes), with this class's location after it
     * for the probe. Throws if the build's classes are not where the side looks first: then both sides
     * would run one build.
     */
    static Side load(String label, List<Path> classPath) throws ReflectiveOperationException {
        List<URL> urls = new ArrayList<>();
        for (Path p : classPath) {
            if (!Files.exists(p)) {
                throw new IllegalArgumentException("side " + label + ": " + p + " does not exist (build that tree first)");
            }
            urls.add(url(p));
        }
        urls.add(AbProbes.class.getProtectionDomain().getCodeSource().getLocation());
        // The platform loader as parent: nothing of coro (or of the application's class path) is shared.
        URLClassLoader loader = new URLClassLoader("ab-" + label, urls.toArray(new URL[0]), ClassLoader.getPlatformClassLoader());
        Class<?> scheduler;
        try {
            scheduler = loader.loadClass("dev.coro.Scheduler");
        } catch (ClassNotFoundException e) {
            throw new IllegalArgumentException("side " + label + ": no dev.coro.Scheduler on " + classPath
                    + " (give each module's target/classes of the build)", e);
        }
        Class<?> probes = loader.loadClass(AbProbes.class.getName());
        if (scheduler.getClassLoader() != loader || probes.getClassLoader() != loader) {
            throw new IllegalStateException("side " + label + " did not load its own classes");
        }
        MethodHandle run = MethodHandles.publicLookup().findStatic(probes, "run",
                MethodType.methodType(double.class, String.class, String.class, int.class, int.class));
        return new Side(label, loader, run);
    }

    static List<Path> paths(String joined) {
        List<Path> out = new ArrayList<>();
        for (String s : joined.split(File.pathSeparator)) {
            if (!s.isEmpty()) {
                out.add(Path.of(s));
            }
        }
        return out;
    }

    private static URL url(Path p) {
        try {
            return p.toUri().toURL();
        } catch (MalformedURLException e) {
            throw new IllegalArgumentException("not a usable path: " + p, e);
        }
    }

    private static int positive(String flag, String v) {
        int n;
        try {
            n = Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(flag + ": '" + v + "' is not a number");
        }
        if (n < 1) {
            throw new IllegalArgumentException(flag + ": " + n + " is not a positive count");
        }
        return n;
    }
}
