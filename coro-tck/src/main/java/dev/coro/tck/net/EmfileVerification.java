package dev.coro.tck.net;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * EMFILE on accept, for real (SPEC.md §7): {@link EmfileChild} runs in a child JVM whose fd limit
 * is 128 ({@code ulimit -n} in bash, so this JVM keeps its own limit), with this JVM's class path,
 * the {@code coro.jvmargs} argfile when that property names one, and {@link #childJvmArgs()}.
 * Waits are bounded and the child is destroyed in any case.
 */
public abstract class EmfileVerification extends SocketVerificationBase {

    @Test
    public void reliability_acceptBacksOffLogsOnceAndRecoversWhenFdsAreFreed() throws Exception {
        String stderr = runChild("warm-logging");
        assertEquals(1, count(stderr, "backing off"), "logged once per interval; stderr: " + stderr);
    }

    /**
     * Rule 7: with the EMFILE warning as the JVM's first log record, the JDK's logger itself fails (it
     * cannot open tzdb.dat); that must neither end the acceptor nor the run.
     */
    @Test
    public void rule7_aLoggerFailingOnTheEmfileWarningEndsNeitherTheCoroNorTheRun() throws Exception {
        String stderr = runChild("cold-logging");
        assertTrue(stderr.contains("backing off"), "the warning must still be written somewhere; stderr: " + stderr);
    }

    /** Runs the child with {@code logging} as its second argument; returns its stderr once it succeeded. */
    private String runChild(String logging) throws Exception {
        Path bash = Path.of("/bin/bash");
        Assumptions.assumeTrue(Files.isExecutable(bash) && Files.isDirectory(Path.of("/proc/self/fd")),
                "needs bash and ulimit (Linux) to run a JVM with a low fd limit");
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        String argfile = System.getProperty("coro.jvmargs");
        if (argfile != null && Files.exists(Path.of(argfile))) {
            cmd.add("@" + argfile);
        }
        cmd.addAll(childJvmArgs());
        cmd.addAll(List.of("-Xshare:auto", "-cp", System.getProperty("java.class.path"),
                EmfileChild.class.getName(), switcher, pollerName(), logging));
        StringBuilder script = new StringBuilder("ulimit -n 128 && exec");
        for (String c : cmd) {
            script.append(" '").append(c.replace("'", "'\\''")).append('\'');
        }
        Path out = Files.createTempFile("emfile-child", ".out");
        Path err = Files.createTempFile("emfile-child", ".err");
        Process p = new ProcessBuilder(bash.toString(), "-c", script.toString())
                .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        try {
            boolean ended = p.waitFor(90, TimeUnit.SECONDS);
            String stdout = Files.readString(out, StandardCharsets.UTF_8);
            String stderr = Files.readString(err, StandardCharsets.UTF_8);
            assertTrue(ended, "the child did not end within 90 s; stdout: " + stdout + "\nstderr: " + stderr);
            assertEquals(0, p.exitValue(), "child failed; stdout: " + stdout + "\nstderr: " + stderr);
            assertTrue(stdout.contains("OK accepted=" + EmfileChild.CLIENTS), stdout);
            return stderr;
        } finally {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
            p.getInputStream().close();
            p.getOutputStream().close();
            p.getErrorStream().close();
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    /**
     * JVM options of the child besides the argfile: by default every {@code coro.*} system property
     * of this JVM but {@code coro.jvmargs} (e.g. {@code coro.kqueue.library}), so that the child can
     * open the same poller.
     */
    protected List<String> childJvmArgs() {
        List<String> args = new ArrayList<>();
        System.getProperties().stringPropertyNames().stream().sorted()
                .filter(k -> k.startsWith("coro.") && !k.equals("coro.jvmargs"))
                .forEach(k -> args.add("-D" + k + "=" + System.getProperty(k)));
        return args;
    }

    private static int count(String s, String what) {
        int n = 0;
        for (int i = s.indexOf(what); i >= 0; i = s.indexOf(what, i + 1)) {
            n++;
        }
        return n;
    }

    static {
        try {
            Files.delete(Files.createTempFile("emfile-warm", ".tmp")); // SecureRandom's fds before the fd check
        } catch (IOException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
