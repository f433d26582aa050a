package dev.coro.tck.sync;

import dev.coro.Coro;
import dev.coro.NotInCoroException;
import dev.coro.scheduler.CoroContext;
import dev.coro.sync.CoroLocal;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** dev.coro.sync.CoroLocal: initial supplier, per-coro isolation, values dropped when the coro ends. *
 * <p>Rules checked ({@link dev.coro.tck.Rule}): {@code coroLocal} (SPEC.md#api), {@code binding} (SPEC.md#api).
 */
public abstract class CoroLocalVerification extends SyncVerificationBase {

    @Test
    public void coroLocal_initialSupplierRunsOncePerCoro() {
        AtomicInteger calls = new AtomicInteger();
        CoroLocal<Integer> local = CoroLocal.withInitial(calls::incrementAndGet);
        runVirtual(() -> {
            int mine = local.get();
            assertEquals(mine, local.get(), "the initial value was computed twice in one coro");
            int other = Coro.spawn("other", local::get).join();
            assertTrue(mine != other, "two coros shared an initial value");
            local.remove();
            assertFalse(local.isPresent());
            assertEquals(3, local.get(), "after remove the initial value is computed again");
            return null;
        });
        assertEquals(3, calls.get());
    }

    @Test
    public void coroLocal_valuesAreIsolatedPerCoro() {
        CoroLocal<String> local = new CoroLocal<>();
        runVirtual(() -> {
            local.set("main");
            Coro<String> a = Coro.spawn("A", () -> {
                assertNull(local.get(), "A saw main's value");
                local.set("A");
                sleep(2);
                return local.get();
            });
            Coro<String> b = Coro.spawn("B", () -> {
                local.set("B");
                sleep(1);
                return local.get();
            });
            assertEquals("A", a.join());
            assertEquals("B", b.join());
            assertEquals("main", local.get(), "another coro's set changed main's value");
            return null;
        });
    }

    @Test
    public void coroLocal_valuesAreDroppedWhenTheCoroEnds() {
        CoroLocal<Object> local = new CoroLocal<>();
        runVirtual(() -> {
            Coro<Void> a = Coro.spawn("A", () -> local.set(new Object()));
            a.join();
            // The coro's locals map is the only place values live: after the end it must be gone.
            assertTrue(CoroContext.locals(a).isEmpty(), "a finished coro still holds its CoroLocal values");
            return null;
        });
    }

    @Test
    public void binding_coroLocalOutsideACoroIsAClearError() {
        CoroLocal<String> local = new CoroLocal<>();
        NotInCoroException e = assertThrows(NotInCoroException.class, local::get);
        assertTrue(e.getMessage().contains("CoroLocal.get"), e.getMessage());
        assertThrows(NullPointerException.class, () -> CoroLocal.withInitial(null));
    }
}
