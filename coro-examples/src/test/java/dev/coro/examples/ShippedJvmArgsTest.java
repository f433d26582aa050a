package dev.coro.examples;

import dev.coro.spi.JvmArgs;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The argfile coro-api ships (for projects outside this tree, docs/running.md) is the root
 * coro.jvmargs, which surefire and bin/run use: the two copies cannot drift apart.
 */
class ShippedJvmArgsTest {

    @Test
    void theShippedArgfileIsTheRootOne() throws Exception {
        // Surefire runs in the module directory; the root is its parent.
        Path root = Path.of(System.getProperty("user.dir")).toAbsolutePath().getParent().resolve("coro.jvmargs");
        assertTrue(Files.isRegularFile(root), "no " + root + " (is the working directory coro-examples?)");
        assertEquals(Files.readString(root), JvmArgs.argfile(),
                "coro-api/src/main/resources/" + JvmArgs.RESOURCE + " differs from " + root + ": copy it over");
    }
}
