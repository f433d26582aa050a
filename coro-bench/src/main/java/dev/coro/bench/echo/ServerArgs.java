package dev.coro.bench.echo;

/** The argument every echo server of the benchmark takes: its port. Wrong arguments end the JVM with status 2. */
public final class ServerArgs {
    private ServerArgs() {
    }

    /** The port in {@code args[index]}; {@code usage} is printed if it is missing or not a port. */
    public static int port(String[] args, int index, String usage) {
        if (args.length <= index) {
            fail(usage);
        }
        try {
            int port = Integer.parseInt(args[index]);
            if (port >= 1 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        return fail("not a port: '" + args[index] + "'\n" + usage);
    }

    public static <T> T fail(String message) {
        System.err.println(message);
        System.exit(2);
        throw new AssertionError("unreachable");
    }
}
