package dev.coro.poll.kqueue;

import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;
import org.opentest4j.TestAbortedException;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Makes kqueue usable for this module's tests before any test runs (a launcher session listener,
 * so that it precedes every engine, jqwik's too, and every first use of {@link KqueueNative},
 * which binds once per JVM): on Linux it compiles {@code src/test/native/kqueue-shim.c} with
 * {@code cc} into {@code target/native/} (again only when the source is newer) and sets
 * {@value KqueueNative#LIBRARY_PROPERTY}; on FreeBSD and macOS libc serves.
 *
 * <p>{@link #require()} is how a test starts: it aborts the test (skipped, with the reason) where no
 * compiler is found, except when the environment variable {@code CI} is set, where it fails: CI has
 * gcc, so there the kqueue tests must run. A compiler error always fails.
 */
public final class KqueueShim implements LauncherSessionListener {
    private static volatile String skip;
    private static volatile String broken;
    private static volatile Path library;

    @Override
    public void launcherSessionOpened(LauncherSession session) {
        prepare();
    }

    static synchronized void prepare() {
        if (library != null || skip != null || broken != null) {
            return;
        }
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        if (!os.contains("linux")) {
            return; // FreeBSD, macOS: the binding uses libc
        }
        if (System.getProperty(KqueueNative.LIBRARY_PROPERTY) != null) {
            library = Path.of(System.getProperty(KqueueNative.LIBRARY_PROPERTY));
            return;
        }
        Path src = Path.of(System.getProperty("coro.kqueue.shim.source", "src/test/native")).resolve("kqueue-shim.c");
        Path dir = Path.of(System.getProperty("coro.kqueue.shim.dir", "target/native"));
        Path so = dir.resolve("libkqueue-shim.so");
        try {
            if (!Files.isRegularFile(src)) {
                broken = "the kqueue shim's source " + src.toAbsolutePath() + " is missing";
                return;
            }
            if (!Files.isRegularFile(so) || Files.getLastModifiedTime(so).compareTo(Files.getLastModifiedTime(src)) < 0) {
                String cc = findCompiler();
                if (cc == null) {
                    skip = "kqueue tests skipped: this is Linux and no C compiler (cc, gcc or clang on PATH) is here to"
                            + " build the kqueue-over-epoll test shim " + src;
                    return;
                }
                Files.createDirectories(dir);
                Path log = dir.resolve("cc.log");
                List<String> cmd = List.of(cc, "-O2", "-g", "-Wall", "-Wextra", "-Werror", "-fPIC", "-shared",
                        "-fvisibility=hidden", "-o", so.toString(), src.toString());
                Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
                if (!p.waitFor(120, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    broken = "compiling the kqueue shim did not finish in 120 s: " + String.join(" ", cmd);
                    return;
                }
                if (p.exitValue() != 0) {
                    broken = "compiling the kqueue shim failed (" + String.join(" ", cmd) + "):\n"
                            + Files.readString(log, StandardCharsets.UTF_8);
                    return;
                }
            }
            library = so.toAbsolutePath();
            System.setProperty(KqueueNative.LIBRARY_PROPERTY, library.toString());
        } catch (IOException e) {
            broken = "building the kqueue shim failed: " + e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            broken = "interrupted while building the kqueue shim";
        }
    }

    private static String findCompiler() {
        for (String name : new String[]{"cc", "gcc", "clang"}) {
            for (String d : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
                if (!d.isEmpty() && Files.isExecutable(Path.of(d, name))) {
                    return Path.of(d, name).toString();
                }
            }
        }
        return null;
    }

    /** Aborts (skips) or fails the calling test unless kqueue is usable here; see the class comment. */
    static void require() {
        prepare();
        if (broken != null) {
            throw new AssertionError(broken);
        }
        if (skip != null) {
            if (System.getenv("CI") != null) {
                throw new AssertionError(skip + " (and the environment variable CI is set: there they must run)");
            }
            throw new TestAbortedException(skip);
        }
        KqueueNative.unavailableReason().ifPresent(r -> {
            throw new AssertionError("kqueue is unusable although the shim was built: " + r);
        });
    }

    /** The shim (Linux), or null where libc serves. */
    static Path library() {
        return library;
    }

    static boolean isShim() {
        return library != null;
    }
}
