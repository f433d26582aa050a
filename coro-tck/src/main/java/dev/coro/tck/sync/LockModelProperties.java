package dev.coro.tck.sync;

import dev.coro.tck.Rule;
import dev.coro.Scheduler;
import dev.coro.sync.Fifo;
import dev.coro.sync.Mutex;
import dev.coro.sync.RwLock;
import dev.coro.tck.KitRunSettings;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AddLifecycleHook;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * jqwik properties: random interleavings of acquire / release / re-entry / timeout / interrupt against
 * the models of Mutex, RwLock and the bounded Fifo ({@link LockModels}), under virtual time. A failure
 * names {@link Rule#MODEL} and the first step where subject and model disagreed; jqwik shrinks the
 * script.
 *
 * <p>Rules checked ({@link dev.coro.tck.Rule}): {@code model} (SPEC.md#api).
 */
public abstract class LockModelProperties {

    /** A fresh builder for the backend under test; the kit adds virtual time. */
    protected abstract Scheduler.Builder schedulerBuilder();

    protected Scheduler.Builder virtualTime() {
        return schedulerBuilder().virtualTime();
    }

    private void check(Supplier<LockModels.Subject> subject, Supplier<LockModels.Model> model,
                       List<List<LockModels.Op>> script) {
        String diff = LockModels.check(virtualTime(), subject, model, script);
        if (diff != null) {
            throw new AssertionError(Rule.MODEL.broke() + ": " + diff);
        }
    }

    @Property(tries = 150)
    @AddLifecycleHook(KitRunSettings.class)
    public void model_mutexAgreesWithItsModel(@ForAll("mutexScripts") List<List<LockModels.Op>> script) {
        check(() -> LockModels.mutex(new Mutex()), LockModels.MutexModel::new, script);
    }

    @Property(tries = 150)
    @AddLifecycleHook(KitRunSettings.class)
    public void model_rwLockAgreesWithItsModel(@ForAll("rwLockScripts") List<List<LockModels.Op>> script) {
        check(() -> LockModels.rwLock(new RwLock()), LockModels.RwLockModel::new, script);
    }

    @Property(tries = 150)
    @AddLifecycleHook(KitRunSettings.class)
    public void model_boundedFifoAgreesWithItsModel(@ForAll("fifoScripts") List<List<LockModels.Op>> script) {
        check(() -> LockModels.boundedFifo(new Fifo<>(2)), () -> new LockModels.BoundedFifoModel(2), script);
    }

    @Property(tries = 100)
    @AddLifecycleHook(KitRunSettings.class)
    public void model_fifoOfOneAgreesWithItsModel(@ForAll("fifoScripts") List<List<LockModels.Op>> script) {
        check(() -> LockModels.boundedFifo(new Fifo<>(1)), () -> new LockModels.BoundedFifoModel(1), script);
    }

    @Provide
    Arbitrary<List<List<LockModels.Op>>> mutexScripts() {
        return scripts(1, true);
    }

    @Provide
    Arbitrary<List<List<LockModels.Op>>> rwLockScripts() {
        return scripts(2, true);
    }

    @Provide
    Arbitrary<List<List<LockModels.Op>>> fifoScripts() {
        return scripts(2, false);
    }

    /**
     * Steps: an arrival; a tick, maybe raced by one op; one to three racing releases / re-entries /
     * interrupts; or (locks) an unlock by a coro that holds nothing.
     */
    static Arbitrary<List<List<LockModels.Op>>> scripts(int maxMode, boolean foreign) {
        Arbitrary<LockModels.Op> arrive = Combinators.combine(Arbitraries.integers().between(0, 4),
                Arbitraries.integers().between(1, maxMode)).as((t, m) -> new LockModels.Op(LockModels.Kind.ARRIVE, t, m));
        Arbitrary<Integer> index = Arbitraries.integers().between(0, 3);
        Arbitrary<LockModels.Op> racer = Arbitraries.frequencyOf(
                Tuple.of(3, index.map(i -> new LockModels.Op(LockModels.Kind.RELEASE, i, 0))),
                Tuple.of(1, index.map(i -> new LockModels.Op(LockModels.Kind.REENTER, i, 0))),
                Tuple.of(2, index.map(i -> new LockModels.Op(LockModels.Kind.INTERRUPT, i, 0))));
        Arbitrary<LockModels.Op> tick = Arbitraries.integers().between(1, 3)
                .map(ms -> new LockModels.Op(LockModels.Kind.TICK, ms, 0));
        Arbitrary<List<LockModels.Op>> foreignStep = Arbitraries.integers().between(0, 1)
                .map(w -> List.of(new LockModels.Op(LockModels.Kind.FOREIGN, w, 0)));
        Arbitrary<List<LockModels.Op>> tickStep = Combinators.combine(tick, racer.list().ofMaxSize(1))
                .as(LockModelProperties::concat);
        Arbitrary<List<LockModels.Op>> step = foreign
                ? Arbitraries.frequencyOf(Tuple.of(4, arrive.map(List::of)), Tuple.of(2, tickStep),
                        Tuple.of(4, racer.list().ofMinSize(1).ofMaxSize(3)), Tuple.of(1, foreignStep))
                : Arbitraries.frequencyOf(Tuple.of(4, arrive.map(List::of)), Tuple.of(2, tickStep),
                        Tuple.of(4, racer.list().ofMinSize(1).ofMaxSize(3)));
        return step.list().ofMinSize(1).ofMaxSize(30);
    }

    private static List<LockModels.Op> concat(LockModels.Op first, List<LockModels.Op> rest) {
        List<LockModels.Op> all = new ArrayList<>();
        all.add(first);
        all.addAll(rest);
        return all;
    }
}
