package dev.coro.nativeswitch;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A child JVM running one of the test mains, stdout and stderr merged, every wait bounded.
 * Always used in try-with-resources: close() kills it.
 */
final class ChildJvm implements AutoCloseable {

    static final Duration BOUND = Duration.ofSeconds(60);
    private static final String EOF = "\u0000EOF";

    private final Process process;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final List<String> seen = new ArrayList<>();

    private ChildJvm(Process process) {
        this.process = process;
        Thread.ofPlatform().daemon(true).name("child-jvm-reader").start(this::pump);
    }

    /** The flags of coro.jvmargs, which surefire passes to this JVM, as a list. */
    static List<String> coroJvmArgs() {
        String file = System.getProperty("coro.jvmargs");
        if (file == null) {
            fail("system property coro.jvmargs (the argfile path) is not set; surefire sets it from the pom");
        }
        try {
            List<String> args = new ArrayList<>();
            for (String line : Files.readAllLines(Path.of(file))) {
                for (String word : line.strip().split("\\s+")) {
                    if (!word.isEmpty() && !word.startsWith("#")) {
                        args.add(word);
                    }
                }
            }
            return args;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ChildJvm start(List<String> jvmFlags, Class<?> main, String... args) throws IOException {
        String java = ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> command = new ArrayList<>();
        command.add(java);
        command.addAll(jvmFlags);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(main.getName());
        command.addAll(List.of(args));
        return new ChildJvm(new ProcessBuilder(command).redirectErrorStream(true).start());
    }

    private void pump() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null; ) {
                lines.add(line);
            }
        } catch (IOException e) {
            lines.add("(reading the child's output failed: " + e + ")");
        } finally {
            lines.add(EOF);
        }
    }

    /** Waits (bounded) for a line matching {@code wanted}; fails with the whole output if none comes. */
    String awaitLine(Predicate<String> wanted, String what) throws InterruptedException {
        long deadline = System.nanoTime() + BOUND.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            String line = left <= 0 ? null : lines.poll(left, TimeUnit.NANOSECONDS);
            if (line == null || line.equals(EOF)) {
                if (line != null) {
                    lines.add(EOF);
                }
                fail("the child JVM never printed " + what + (line == null ? " within " + BOUND : " before exiting")
                        + "; its output:\n" + output());
            }
            seen.add(line);
            if (wanted.test(line)) {
                return line;
            }
        }
    }

    /** Waits (bounded) for the child to end, reading all of its output; returns the exit code. */
    int awaitExitCode() throws InterruptedException {
        long deadline = System.nanoTime() + BOUND.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            String line = left <= 0 ? null : lines.poll(left, TimeUnit.NANOSECONDS);
            if (line == null) {
                fail("the child JVM did not end within " + BOUND + "; its output:\n" + output());
            }
            if (line.equals(EOF)) {
                break;
            }
            seen.add(line);
        }
        if (!process.waitFor(BOUND.toMillis(), TimeUnit.MILLISECONDS)) {
            fail("the child JVM closed its output but did not exit within " + BOUND);
        }
        return process.exitValue();
    }

    /** Everything read so far. */
    String output() {
        return String.join("\n", seen);
    }

    @Override
    public void close() {
        process.destroyForcibly();
        try {
            process.waitFor(BOUND.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
