package dev.coro.nativeswitch;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class BlockedEpisodeTest {

    private static final long T = 1_000;
    private final Object a = new Object();
    private final Object b = new Object();

    @Test
    void reportsOnceAfterTheThreshold() {
        BlockedEpisode e = new BlockedEpisode(T);
        assertFalse(e.observe(true, a, 1, 0));
        assertFalse(e.observe(true, a, 1, T - 1));
        assertTrue(e.observe(true, a, 1, T));
        assertFalse(e.observe(true, a, 1, 2 * T), "once per episode");
        assertFalse(e.observe(true, a, 1, 100 * T));
    }

    @Test
    void unblockingEndsTheEpisode() {
        BlockedEpisode e = new BlockedEpisode(T);
        assertFalse(e.observe(true, a, 1, 0));
        assertTrue(e.observe(true, a, 1, T));
        assertFalse(e.observe(false, null, 0, T + 1));
        assertFalse(e.observe(true, a, 1, T + 2), "a new episode starts its own clock");
        assertFalse(e.observe(true, a, 1, 2 * T + 1));
        assertTrue(e.observe(true, a, 1, 2 * T + 2));
    }

    @Test
    void anotherCoroOrAnotherRunIsAnotherEpisode() {
        BlockedEpisode e = new BlockedEpisode(T);
        assertFalse(e.observe(true, a, 1, 0));
        assertFalse(e.observe(true, b, 1, T), "blocked in b now, not for T in a row");
        assertFalse(e.observe(true, b, 3, 2 * T), "b's next run");
        assertTrue(e.observe(true, b, 3, 3 * T));
    }
}
