package dev.coro.console;

import dev.coro.Coro;
import dev.coro.CoroInterruptedException;
import dev.coro.CoroTimeoutException;
import dev.coro.Scheduler;
import dev.coro.net.ConnectionResetException;
import dev.coro.net.CoroServerSocket;
import dev.coro.net.CoroSocket;
import dev.coro.net.CoroSocketReader;
import dev.coro.net.LineTooLongException;
import dev.coro.net.SocketClosedException;
import dev.coro.scheduler.ConsoleSupport;
import dev.coro.scheduler.CoroContext;
import dev.coro.scheduler.LoopLog;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A line-based console into a running scheduler [shrapnel: {@code coro.backdoor}, made safe]: an
 * operator connects ({@code nc -U /tmp/coro.sock}, {@code nc 127.0.0.1 7070}) and types commands —
 * {@code stats}, {@code dump}, {@code coros}, {@code interrupt ID}, {@code profile on|off|report},
 * {@code help}, {@code quit}. Each answer ends with the prompt {@code "coro> "}; an error is one line
 * starting {@code "error: "}.
 *
 * <p>Off unless started: {@link #start(SocketAddress)} (or {@link #builder()}) from a coro binds the
 * address and serves it with coros of that coro's scheduler — an acceptor and one coro per session,
 * over {@code dev.coro.net} sockets, so the console costs no thread and sees the loop between two of
 * its coros. Safe by default:
 * <ul>
 * <li>It binds a Unix-domain socket (its file made owner-only, and deleted on {@link #close()}; a
 *     stale file left by a dead process is replaced, a live one refused) or a loopback TCP address. A
 *     non-loopback address (the wildcard {@code 0.0.0.0} included) is refused unless a token is
 *     configured ({@link Builder#token}).
 * <li>With a token, a connection's first line must be the token, within {@link Builder#tokenTimeout}
 *     (default 10 s); a wrong one (compared in constant time), a late one or none is refused with an
 *     error line, the connection is closed and the attempt logged (WARNING, {@code dev.coro.console}).
 * <li>A line longer than {@link Builder#maxLineLength} (default 1024 bytes) is discarded with an error
 *     line; unknown commands get an error line; at most {@link Builder#maxSessions} (default 4)
 *     sessions at once. Nothing a client sends can end the console, the scheduler or another coro
 *     except through {@code interrupt}, which is what it is for.
 * </ul>
 *
 * <p>Commands run on the loop between coros: {@code dump} of 10,000 coros holds the loop for as long
 * as their stack traces take (SPEC.md §4: 10–80 µs each); {@code coros} lists them without stacks.
 * The console ends with {@link #close()} or with the scheduler run (its coros are shut down as any).
 */
public final class Console implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger("dev.coro.console");
    static final String PROMPT = "coro> ";
    /** The shortest token accepted: a token guards a console others can reach. */
    static final int MIN_TOKEN_LENGTH = 12;

    private final Scheduler scheduler;
    private final CoroServerSocket server;
    private final SocketAddress address;
    private final Path socketFile;
    private final byte[] token;
    private final int maxLineLength;
    private final Duration tokenTimeout;
    private final int maxSessions;
    /** Open sessions' sockets; loop thread only (the acceptor adds, each session removes its own). */
    private final List<CoroSocket> sessions = new ArrayList<>();
    private final Coro<?> acceptor;
    private long sessionCount;

    private Console(Scheduler scheduler, CoroServerSocket server, Path socketFile, Builder b) throws IOException {
        this.scheduler = scheduler;
        this.server = server;
        this.address = server.localAddress();
        this.socketFile = socketFile;
        this.token = b.token;
        this.maxLineLength = b.maxLineLength;
        this.tokenTimeout = b.tokenTimeout;
        this.maxSessions = b.maxSessions;
        this.acceptor = Coro.spawn("console " + address, this::acceptLoop);
    }

    /** A console on {@code address} with the default options; see {@link Builder#start}. */
    public static Console start(SocketAddress address) throws IOException {
        return builder().start(address);
    }

    /** Options for a console; {@link Builder#start} binds it. */
    public static Builder builder() {
        return new Builder();
    }

    /** The bound address (a TCP port asked as 0 is the one the system chose). */
    public SocketAddress address() {
        return address;
    }

    /**
     * Stops the console: the listening socket and every session are closed, and a Unix-domain socket's
     * file deleted. From a coro of the console's scheduler it returns once that is done; from another
     * thread it closes the listening socket and the console's acceptor coro does the rest. Idempotent.
     */
    @Override
    public void close() {
        server.close();
        Coro<?> me = CoroContext.selfOrNull();
        if (me != null && me != acceptor) {
            try {
                acceptor.join();
            } catch (RuntimeException ended) {
                // the acceptor's own end (a shutdown) is not the caller's failure
            }
        }
    }

    @Override
    public String toString() {
        return "console on " + address + (token != null ? " (token required)" : "");
    }

    // ---------------------------------------------------------------- accepting

    private Void acceptLoop() {
        try {
            while (true) {
                CoroSocket s;
                try {
                    s = server.accept();
                } catch (SocketClosedException closed) {
                    return null;
                } catch (IOException e) {
                    if (!server.isOpen()) {
                        return null;
                    }
                    LoopLog.log(LOG, System.Logger.Level.WARNING, this + ": accept failed: " + e, null);
                    Coro.sleep(Duration.ofMillis(100)); // a persistent failure must not spin
                    continue;
                }
                long n = ++sessionCount;
                if (sessions.size() >= maxSessions) {
                    Coro.spawn("console refusal " + n, () -> refuse(s, "too many console sessions (at most "
                            + maxSessions + ")"));
                    continue;
                }
                sessions.add(s);
                Coro.spawn("console session " + n, () -> {
                    try {
                        new Session(this, s, n).run();
                    } finally {
                        sessions.remove(s);
                        s.close();
                    }
                    return null;
                });
            }
        } finally {
            server.close();
            for (CoroSocket s : List.copyOf(sessions)) {
                s.close();
            }
            if (socketFile != null) {
                try {
                    Files.deleteIfExists(socketFile);
                } catch (IOException e) {
                    LoopLog.log(LOG, System.Logger.Level.WARNING, this + ": cannot delete " + socketFile + ": " + e, null);
                }
            }
        }
    }

    private static Void refuse(CoroSocket s, String why) {
        try (s) {
            s.sendAll(("error: " + why + "\n").getBytes(StandardCharsets.UTF_8));
        } catch (IOException gone) {
            // the client left first: nothing to tell it
        }
        return null;
    }

    // ---------------------------------------------------------------- sessions

    /** One connection: the token (if any), then a command per line. Runs in its own coro. */
    private static final class Session {
        private static final Object END_OF_STREAM = new Object();
        private final Console console;
        private final CoroSocket socket;
        private final long number;
        private final CoroSocketReader in;
        private final Commands commands;

        Session(Console console, CoroSocket socket, long number) {
            this.console = console;
            this.socket = socket;
            this.number = number;
            this.in = socket.reader(console.maxLineLength);
            this.commands = new Commands(console.scheduler, "the console (session " + number + ")");
        }

        void run() {
            String peer = peer();
            try {
                if (console.token != null && !authenticated(peer)) {
                    return;
                }
                Scheduler s = console.scheduler;
                send("coro console: scheduler " + s + "; 'help' lists the commands\n" + PROMPT);
                while (true) {
                    String line;
                    try {
                        line = in.readLine();
                    } catch (LineTooLongException e) {
                        if (!discardLine()) {
                            return;
                        }
                        send("error: line longer than " + console.maxLineLength + " bytes, ignored\n" + PROMPT);
                        continue;
                    }
                    if (line == null) {
                        return;
                    }
                    Commands.Answer a = commands.execute(line);
                    send(a.text());
                    if (a.last()) {
                        return;
                    }
                    send(PROMPT);
                }
            } catch (ConnectionResetException | SocketClosedException gone) {
                // the client left, or the console closed: the end of this session
            } catch (CoroInterruptedException e) {
                // interrupted (from another session, say) or shut down with the run: the end of this session
            } catch (IOException e) {
                LoopLog.log(LOG, System.Logger.Level.DEBUG, console + ": session " + number + " (" + peer
                        + ") ended: " + e, null);
            }
        }

        /** Reads the token line; false (after telling the client and logging) if it is not the token. */
        private boolean authenticated(String peer) throws IOException {
            String refusal;
            try {
                // The whole line within the deadline (a socket timeout would bound each wait only); an
                // I/O failure is carried out of the timed body as a value, so it is not wrapped.
                Object got = Coro.withTimeout(console.tokenTimeout, (java.util.concurrent.Callable<Object>) () -> {
                    try {
                        String line = in.readLine();
                        return line != null ? line : END_OF_STREAM;
                    } catch (IOException e) {
                        return e;
                    }
                });
                if (got instanceof LineTooLongException) {
                    refusal = "wrong token";
                } else if (got instanceof IOException e) {
                    throw e;
                } else if (got == END_OF_STREAM) {
                    refusal = "closed before sending the token";
                } else if (MessageDigest.isEqual(console.token, ((String) got).getBytes(StandardCharsets.UTF_8))) {
                    return true;
                } else {
                    refusal = "wrong token";
                }
            } catch (CoroTimeoutException e) {
                refusal = "no token within " + console.tokenTimeout.toMillis() + " ms";
            }
            LoopLog.log(LOG, System.Logger.Level.WARNING, console + ": refused session " + number + " from "
                    + peer + ": " + refusal, null);
            send("error: " + refusal + "\n");
            return false;
        }

        /** Skips the rest of an over-long line; false at the end of the stream. */
        private boolean discardLine() throws IOException {
            InputStream s = in.inputStream();
            int b;
            while ((b = s.read()) != -1) {
                if (b == '\n') {
                    return true;
                }
            }
            return false;
        }

        private void send(String text) throws IOException {
            socket.sendAll(text.getBytes(StandardCharsets.UTF_8));
        }

        private String peer() {
            try {
                SocketAddress a = socket.remoteAddress();
                return a instanceof UnixDomainSocketAddress ? "a local client" : String.valueOf(a);
            } catch (IOException e) {
                return "an unknown peer";
            }
        }
    }

    // ---------------------------------------------------------------- options

    /** A console's options; {@link #start} binds it. Not thread-safe. */
    public static final class Builder {
        private byte[] token;
        private int maxLineLength = 1024;
        private Duration tokenTimeout = Duration.ofSeconds(10);
        private int maxSessions = 4;

        Builder() {
        }

        /**
         * A token every connection must send as its first line (at least {@value #MIN_TOKEN_LENGTH}
         * characters); required to bind a non-loopback address. Keep it out of the command line
         * (other users see it in {@code ps}): read it from a file or the environment.
         */
        public Builder token(String token) {
            Objects.requireNonNull(token, "console token");
            if (token.length() < MIN_TOKEN_LENGTH || !token.equals(token.strip())) {
                throw new IllegalArgumentException("a console token must be at least " + MIN_TOKEN_LENGTH
                        + " characters without leading or trailing white space, got " + token.length() + " characters");
            }
            this.token = token.getBytes(StandardCharsets.UTF_8);
            return this;
        }

        /** The longest command line accepted, in bytes (default 1024); a longer one is discarded with an error. */
        public Builder maxLineLength(int bytes) {
            if (bytes < 16 || bytes > CoroSocketReader.MAX_MAX_LINE) {
                throw new IllegalArgumentException("console maxLineLength must be 16.." + CoroSocketReader.MAX_MAX_LINE
                        + " bytes, got " + bytes);
            }
            this.maxLineLength = bytes;
            return this;
        }

        /** How long a connection has to send the token (default 10 s). */
        public Builder tokenTimeout(Duration timeout) {
            Objects.requireNonNull(timeout, "console token timeout");
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("console token timeout must be positive, got " + timeout);
            }
            this.tokenTimeout = timeout;
            return this;
        }

        /** How many sessions may be open at once (default 4); a connection beyond is told so and closed. */
        public Builder maxSessions(int sessions) {
            if (sessions < 1) {
                throw new IllegalArgumentException("console maxSessions must be at least 1, got " + sessions);
            }
            this.maxSessions = sessions;
            return this;
        }

        /**
         * Binds {@code address} — a {@link UnixDomainSocketAddress}, or an {@link InetSocketAddress}
         * that is loopback unless a token is set — and serves it with coros of the calling coro's
         * scheduler until {@link Console#close()} or the end of the run. Must be called from a coro.
         *
         * @throws IllegalArgumentException for a non-loopback address without a token, an unresolved
         *                                  address, or another kind of address
         * @throws IOException              if the address cannot be bound (a Unix-domain path in use by
         *                                  a live process among them)
         */
        public Console start(SocketAddress address) throws IOException {
            Objects.requireNonNull(address, "console address");
            Scheduler scheduler = ConsoleSupport.scheduler("start a console");
            Path file = null;
            if (address instanceof InetSocketAddress inet) {
                if (inet.isUnresolved()) {
                    throw new IllegalArgumentException("cannot start a console on " + address + ": the address is unresolved");
                }
                if (!inet.getAddress().isLoopbackAddress() && token == null) {
                    throw new IllegalArgumentException("refusing to start a console on " + address + ": it is not a "
                            + "loopback address, so others could reach it and interrupt coros; bind 127.0.0.1, ::1 or "
                            + "a Unix-domain socket, or set a token (Console.builder().token(...))");
                }
            } else if (address instanceof UnixDomainSocketAddress unix) {
                file = unix.getPath();
                replaceStaleSocket(file);
            } else {
                throw new IllegalArgumentException("a console binds an InetSocketAddress or a UnixDomainSocketAddress, got "
                        + address.getClass().getName());
            }
            CoroServerSocket server = CoroServerSocket.bind(address);
            try {
                if (file != null) {
                    ownerOnly(file);
                }
                return new Console(scheduler, server, file, this);
            } catch (IOException | RuntimeException e) {
                server.close();
                if (file != null) {
                    Files.deleteIfExists(file);
                }
                throw e;
            }
        }

        /** A socket file nobody listens on (a dead process's) is deleted; one in use is an error. */
        private static void replaceStaleSocket(Path file) throws IOException {
            BasicFileAttributes a;
            try {
                a = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            } catch (java.nio.file.NoSuchFileException absent) {
                return;
            }
            if (!a.isOther()) {
                throw new IOException("cannot start a console on " + file + ": a file that is not a socket is there");
            }
            try (CoroSocket probe = CoroSocket.connectTo(UnixDomainSocketAddress.of(file), Duration.ofSeconds(1))) {
                throw new IOException("cannot start a console on " + file + ": another process is listening on it");
            } catch (ConnectException stale) {
                Files.deleteIfExists(file);
            }
        }

        private static void ownerOnly(Path file) throws IOException {
            try {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException notPosix) {
                // the file system has no POSIX modes: the directory's permissions are what guard it
            }
        }
    }
}
