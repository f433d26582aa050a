package dev.coro.nativeswitch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coro.spi.SwitchProvider;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

class ProviderTest {

    private static final String FLAG = "--add-exports java.base/jdk.internal.vm=ALL-UNNAMED";

    @Test
    void serviceLoaderFindsNativeWithPriority200() {
        List<SwitchProvider> natives = ServiceLoader.load(SwitchProvider.class).stream()
                .map(ServiceLoader.Provider::get)
                .filter(p -> p.name().equals("native"))
                .toList();
        assertEquals(1, natives.size(), "exactly one provider named native");
        assertInstanceOf(NativeSwitchProvider.class, natives.get(0));
        assertEquals(200, natives.get(0).priority());
    }

    @Test
    void availableUnderTheFlagsOfCoroJvmargs() {
        assertEquals(Optional.empty(), new NativeSwitchProvider().unavailableReason());
    }

    @Test
    void withoutTheFlagTheReasonNamesIt() throws Exception {
        try (ChildJvm child = ChildJvm.start(List.of(), UnavailableMain.class)) {
            String reason = child.awaitLine(l -> l.startsWith("REASON "), "the REASON line");
            assertTrue(reason.contains(FLAG), reason);
            assertTrue(reason.contains("coro.jvmargs"), reason);
            String open = child.awaitLine(l -> l.startsWith("OPEN "), "the OPEN line");
            assertTrue(open.startsWith("OPEN failed: ") && open.contains(FLAG), open);
            assertEquals(0, child.awaitExitCode(), child.output());
        }
    }
}
