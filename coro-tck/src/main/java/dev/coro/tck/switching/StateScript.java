package dev.coro.tck.switching;

import java.util.List;

/**
 * A generated state test: coroutine {@code i} suspends once in each wait point of
 * {@code waits.get(i)} (0, 1, 2: three methods of different depth), then ends; {@code order} lists
 * whom to resume (modulo the count, skipping finished ones), then the rest round-robin; after the
 * resume at position {@code p}, coroutine {@code probes.get(p % probes.size())} has its stack trace
 * taken from another thread.
 */
public record StateScript(List<List<Integer>> waits, List<Integer> order, List<Integer> probes) {

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("state script:");
        for (int i = 0; i < waits.size(); i++) {
            b.append("\n    k").append(i).append(": suspends in ").append(waits.get(i).stream()
                    .map(w -> SwitchBackendVerification.WAIT_POINTS.get(w)).toList());
        }
        return b.append("\n    resume order: ").append(order).append("\n    probes: ").append(probes).toString();
    }
}
