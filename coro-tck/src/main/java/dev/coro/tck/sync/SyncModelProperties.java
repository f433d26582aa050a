package dev.coro.tck.sync;

import dev.coro.tck.Rule;
import dev.coro.Scheduler;
import dev.coro.tck.KitRunSettings;
import dev.coro.sync.CondVar;
import dev.coro.sync.Fifo;
import dev.coro.sync.InvertedSemaphore;
import dev.coro.sync.Semaphore;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AddLifecycleHook;

import java.util.List;
import java.util.function.Supplier;

/**
 * jqwik properties: random interleavings of wait / wake / timeout / interrupt against each
 * primitive's model ({@link SyncModels}), under virtual time. A failure names {@link Rule#MODEL}
 * and the first step where subject and model disagreed; jqwik shrinks the script.
 *
 * <p>Rules checked ({@link dev.coro.tck.Rule}): {@code model} (SPEC.md#api).
 */
public abstract class SyncModelProperties {

    /** A fresh builder for the backend under test; the kit adds virtual time. */
    protected abstract Scheduler.Builder schedulerBuilder();

    protected Scheduler.Builder virtualTime() {
        return schedulerBuilder().virtualTime();
    }

    private void check(Supplier<SyncModels.Subject> subject, Supplier<SyncModels.Model> model,
                       List<List<SyncModels.Op>> script) {
        String diff = SyncModels.check(virtualTime(), subject, model, script);
        if (diff != null) {
            throw new AssertionError(Rule.MODEL.broke() + ": " + diff);
        }
    }

    @Property(tries = 150)
    @AddLifecycleHook(KitRunSettings.class)
    public void model_condVarAgreesWithItsModel(@ForAll("condVarScripts") List<List<SyncModels.Op>> script) {
        check(() -> SyncModels.condVar(new CondVar()), SyncModels.CondVarModel::new, script);
    }

    @Property(tries = 150)
    @AddLifecycleHook(KitRunSettings.class)
    public void model_semaphoreAgreesWithItsModel(@ForAll("semaphoreScripts") List<List<SyncModels.Op>> script) {
        // Unbounded (the default), so no release is refused: an interrupted waiter leaves the queue when it
        // runs, so within one step the semaphore's count lags the model's (both settle alike), and a
        // capacity check in between could disagree.
        check(() -> SyncModels.semaphore(new Semaphore(0)), SyncModels.SemaphoreModel::new, script);
    }

    @Property(tries = 150)
    @AddLifecycleHook(KitRunSettings.class)
    public void model_fifoAgreesWithItsModel(@ForAll("condVarScripts") List<List<SyncModels.Op>> script) {
        check(() -> SyncModels.fifo(new Fifo<>()), SyncModels.FifoModel::new, script);
    }

    @Property(tries = 150)
    @AddLifecycleHook(KitRunSettings.class)
    public void model_invertedSemaphoreAgreesWithItsModel(@ForAll("semaphoreScripts") List<List<SyncModels.Op>> script) {
        check(() -> SyncModels.inverted(new InvertedSemaphore(1)), SyncModels.InvertedModel::new, script);
    }

    @Provide
    Arbitrary<List<List<SyncModels.Op>>> condVarScripts() {
        return scripts(1);
    }

    @Provide
    Arbitrary<List<List<SyncModels.Op>>> semaphoreScripts() {
        return scripts(3);
    }

    /** Steps: an arrival; a tick, maybe raced by a wake or interrupt; or one to three racing wakes/interrupts. */
    static Arbitrary<List<List<SyncModels.Op>>> scripts(int maxAmount) {
        Arbitrary<SyncModels.Op> arrive = Combinators.combine(Arbitraries.integers().between(0, 4),
                Arbitraries.integers().between(1, maxAmount)).as((t, n) -> new SyncModels.Op(SyncModels.Kind.ARRIVE, t, n));
        Arbitrary<SyncModels.Op> signal = Arbitraries.integers().between(1, maxAmount)
                .map(k -> new SyncModels.Op(SyncModels.Kind.SIGNAL, k, 0));
        Arbitrary<SyncModels.Op> interrupt = Arbitraries.integers().between(0, 3)
                .map(i -> new SyncModels.Op(SyncModels.Kind.INTERRUPT, i, 0));
        Arbitrary<SyncModels.Op> racer = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(2, signal), net.jqwik.api.Tuple.of(1, interrupt));
        Arbitrary<SyncModels.Op> tick = Arbitraries.integers().between(1, 3)
                .map(ms -> new SyncModels.Op(SyncModels.Kind.TICK, ms, 0));
        Arbitrary<List<SyncModels.Op>> step = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(4, arrive.map(List::of)),
                net.jqwik.api.Tuple.of(2, Combinators.combine(tick, racer.list().ofMaxSize(1))
                        .as((t, r) -> concat(t, r))),
                net.jqwik.api.Tuple.of(4, racer.list().ofMinSize(1).ofMaxSize(3)));
        return step.list().ofMinSize(1).ofMaxSize(30);
    }

    private static List<SyncModels.Op> concat(SyncModels.Op first, List<SyncModels.Op> rest) {
        java.util.ArrayList<SyncModels.Op> all = new java.util.ArrayList<>();
        all.add(first);
        all.addAll(rest);
        return all;
    }
}
