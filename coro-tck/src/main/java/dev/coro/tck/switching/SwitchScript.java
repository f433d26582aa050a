package dev.coro.tck.switching;

import java.util.List;

/**
 * A generated switch test: coroutine {@code i} suspends {@code yields.get(i)} times, then returns
 * or (if {@code throwsAtEnd.get(i)}) throws; {@code order} lists whom to resume (modulo the count,
 * skipping finished ones); what is left is then resumed round-robin to its end.
 */
public record SwitchScript(List<Integer> yields, List<Boolean> throwsAtEnd, List<Integer> order) {

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("switch script:");
        for (int i = 0; i < yields.size(); i++) {
            b.append("\n    k").append(i).append(": suspends ").append(yields.get(i)).append(" time(s), then ")
                    .append(throwsAtEnd.get(i) ? "throws" : "returns");
        }
        return b.append("\n    resume order: ").append(order).toString();
    }
}
