package dev.coro.spi;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The JVM flags coro's backends need, as an argfile shipped inside coro-api
 * ({@value #RESOURCE}, the same text as {@code coro.jvmargs} at the root of the source tree, written
 * for the class path). A project that depends on coro has no {@code coro.jvmargs} of its own; it
 * extracts this one:
 *
 * <pre>{@code java -cp coro-api-<version>.jar dev.coro.spi.JvmArgs > coro.jvmargs
 * java @coro.jvmargs -cp ... Main}</pre>
 *
 * (or {@code unzip -p coro-api-<version>.jar META-INF/coro/coro.jvmargs > coro.jvmargs}).
 */
public final class JvmArgs {

    /** Where the argfile lives inside the coro-api jar. */
    public static final String RESOURCE = "META-INF/coro/coro.jvmargs";

    private JvmArgs() {
    }

    /**
     * Prints the argfile to standard output; takes no arguments.
     *
     * @param args none
     */
    public static void main(String[] args) {
        if (args.length != 0) {
            System.err.println("usage: java -cp coro-api.jar dev.coro.spi.JvmArgs > coro.jvmargs"
                    + " (prints coro's JVM flags argfile; takes no arguments, got " + args.length + ")");
            System.exit(2);
        }
        System.out.print(argfile());
        System.out.flush();
    }

    /**
     * The argfile's text, one flag per line.
     *
     * @return the text of {@value #RESOURCE}
     * @throws IllegalStateException if the resource is missing (a broken or repackaged coro-api jar)
     */
    public static String argfile() {
        try (InputStream in = JvmArgs.class.getResourceAsStream("/" + RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from " + jar()
                        + ": was coro-api repackaged without its resources?");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE + " from " + jar(), e);
        }
    }

    /**
     * One sentence for a backend's "missing flag" message: where the argfile is and how to use it,
     * for a backend in {@code module} (class path or module path).
     *
     * @param module the module of the backend whose flag is missing
     * @return the sentence, naming this JVM's coro-api jar
     */
    public static String howToGet(Module module) {
        String extract = "java -cp " + jar() + " " + JvmArgs.class.getName() + " > coro.jvmargs";
        if (module.isNamed()) {
            return "On the module path, name the module as above instead of ALL-UNNAMED; coro.jvmargs ("
                    + extract + ") lists the flags in class-path form.";
        }
        return "All of coro's flags are in the argfile coro.jvmargs that coro-api ships: " + extract
                + ", then java @coro.jvmargs ...";
    }

    /** This class's jar (or classes directory), for messages; a placeholder if the JVM will not say. */
    private static String jar() {
        try {
            var source = JvmArgs.class.getProtectionDomain().getCodeSource();
            return source == null ? "coro-api.jar" : Path.of(source.getLocation().toURI()).toString();
        } catch (URISyntaxException | RuntimeException e) {
            return "coro-api.jar";
        }
    }
}
