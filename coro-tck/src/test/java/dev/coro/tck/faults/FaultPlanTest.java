package dev.coro.tck.faults;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** FaultPlan: each setter changes its field alone; bad values get a message naming the field and what it must be. */
class FaultPlanTest {

    @Test
    void settersChangeOneFieldEach() {
        FaultPlan p = FaultPlan.over("nio").seed(7).eagainStorms(0.1).oneByteWrites(0.2).spuriousReadiness(0.3)
                .interruptedPolls(0.4).resets(0.5, 99).emfileOnAccept(0.6);
        assertEquals(new FaultPlan("nio", 7, 0.1, 0.2, 0.3, 0.4, 0.5, 99, 0.6), p);
        for (Fault kind : Fault.values()) {
            assertEquals(kind != Fault.HELD_CLOSE, p.injects(kind), kind.name());
            assertFalse(FaultPlan.over("nio").injects(kind), "a new plan injects nothing: " + kind);
        }
    }

    @Test
    void badValuesNameTheFieldAndTheRange() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> FaultPlan.over("nio").oneByteWrites(1.5));
        assertTrue(e.getMessage().contains("oneByteWrites") && e.getMessage().contains("[0, 1]")
                && e.getMessage().contains("1.5"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> FaultPlan.over("nio").spuriousReadiness(Double.NaN));
        assertTrue(e.getMessage().contains("spuriousReadiness"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> FaultPlan.over("nio").resets(0.1, 0));
        assertTrue(e.getMessage().contains("resetWithinBytes") && e.getMessage().contains("at least 1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> FaultPlan.over(FaultInjector.POLLER));
        assertTrue(e.getMessage().contains("the poller to wrap"), e.getMessage());
        assertThrows(NullPointerException.class, () -> FaultPlan.over(null));
    }

    @Test
    void oneInjectorIsInstalledAtATime() {
        try (FaultInjector f = FaultInjector.install(FaultPlan.over("nio").seed(3))) {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> FaultInjector.install(FaultPlan.over("nio")));
            assertTrue(e.getMessage().contains("installed already") && e.getMessage().contains("seed=3"), e.getMessage());
            assertTrue(f.report().contains("seed 3"), f.report());
        }
        FaultInjector.install(FaultPlan.over("nio")).close(); // closed: the next one installs
    }
}
