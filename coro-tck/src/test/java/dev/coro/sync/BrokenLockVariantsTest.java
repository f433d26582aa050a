package dev.coro.sync;

import dev.coro.Scheduler;
import dev.coro.tck.sync.LockModels;
import org.junit.jupiter.api.Test;

import dev.coro.Coro;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The lock model properties ({@link LockModels}) have teeth: each deliberately broken Mutex, RwLock and
 * bounded Fifo (BrokenMutexes, BrokenRwLocks, BrokenBoundedFifos) is caught by some of the same random
 * scripts that the real primitive passes. Runs on the kit's own test backend ({@code handoff});
 * deterministic seeds. Prints caught/tried.
 */
class BrokenLockVariantsTest {
    private static final int SCRIPTS = 200;

    private static Scheduler.Builder builder() {
        return Scheduler.builder().switcher("handoff").virtualTime();
    }

    private static int failures(Supplier<LockModels.Subject> subject, Supplier<LockModels.Model> model, int maxMode,
                                boolean foreign, List<String> firstDiff) {
        int failed = 0;
        for (int seed = 0; seed < SCRIPTS; seed++) {
            List<List<LockModels.Op>> script = LockModels.randomScript(new Random(seed), 25, maxMode, foreign);
            String diff = LockModels.check(builder(), subject, model, script);
            if (diff != null) {
                if (failed++ == 0) {
                    firstDiff.add(diff);
                }
            }
        }
        return failed;
    }

    @Test
    void model_theRealLocksAndBoundedFifoPassEveryScript() {
        List<String> diff = new ArrayList<>();
        assertEquals(0, failures(() -> LockModels.mutex(new Mutex()), LockModels.MutexModel::new, 1, true, diff), diff.toString());
        assertEquals(0, failures(() -> LockModels.rwLock(new RwLock()), LockModels.RwLockModel::new, 2, true, diff), diff.toString());
        assertEquals(0, failures(() -> LockModels.boundedFifo(new Fifo<>(2)), () -> new LockModels.BoundedFifoModel(2), 2, false, diff), diff.toString());
        assertEquals(0, failures(() -> LockModels.boundedFifo(new Fifo<>(1)), () -> new LockModels.BoundedFifoModel(1), 2, false, diff), diff.toString());
    }

    private record Variant(String name, Supplier<LockModels.Subject> subject, Supplier<LockModels.Model> model,
                           int maxMode, boolean foreign) {
    }

    private static LockModels.Subject mutex(BrokenMutexes.Base m) {
        return new LockModels.Subject() {
            public Object acquire(int mode, Duration t, int value) {
                m.lock(t);
                return "";
            }

            public Object release(int mode) {
                m.unlock();
                return null;
            }

            public Object reenter(int mode, int value) {
                m.lock(null);
                return null;
            }

            public void foreignUnlock(int which) {
                m.unlock();
            }

            public int waiting() {
                return m.waiters.size();
            }

            public String state(Map<Coro<?>, Integer> ids) {
                return m.owner == null ? "free" : "owner=w" + ids.get(m.owner) + " x" + m.holds;
            }
        };
    }

    private static LockModels.Subject rwLock(BrokenRwLocks.Base l) {
        return new LockModels.Subject() {
            public Object acquire(int mode, Duration t, int value) {
                l.lock(mode == LockModels.WRITE ? BrokenRwLocks.WRITE : BrokenRwLocks.READ, t);
                return "";
            }

            public Object release(int mode) {
                if (mode == LockModels.WRITE) {
                    l.writeUnlock();
                } else {
                    l.readUnlock();
                }
                return null;
            }

            public Object reenter(int mode, int value) {
                l.lock(mode == LockModels.WRITE ? BrokenRwLocks.WRITE : BrokenRwLocks.READ, null);
                return null;
            }

            public void foreignUnlock(int which) {
                if (which == 0) {
                    l.readUnlock();
                } else {
                    l.writeUnlock();
                }
            }

            public int waiting() {
                return l.waiters.size();
            }

            public String state(Map<Coro<?>, Integer> ids) {
                return "writeLocked=" + (l.writer != null) + " readers=" + l.readers.size();
            }
        };
    }

    private static LockModels.Subject fifo(BrokenBoundedFifos.Base f) {
        return new LockModels.Subject() {
            public Object acquire(int mode, Duration t, int value) {
                if (mode == LockModels.POP) {
                    return f.pop(t);
                }
                f.push(value, t);
                return "";
            }

            public Object release(int mode) {
                return f.poll();
            }

            public Object reenter(int mode, int value) {
                return f.offer(value);
            }

            public int waiting() {
                return f.poppers.size() + f.pushers.size();
            }

            public String state(Map<Coro<?>, Integer> ids) {
                return "size=" + f.items.size() + " poppers=" + f.poppers.size() + " pushers=" + f.pushers.size();
            }
        };
    }

    @Test
    void model_everyBrokenLockAndBoundedFifoIsCaught() {
        Supplier<LockModels.Model> mutexModel = LockModels.MutexModel::new;
        Supplier<LockModels.Model> rwModel = LockModels.RwLockModel::new;
        Supplier<LockModels.Model> fifoModel = () -> new LockModels.BoundedFifoModel(2);
        List<Variant> variants = List.of(
                new Variant("Mutex that keeps the hand-off of a waiter interrupted after it",
                        () -> mutex(new BrokenMutexes.KeepsHandOffOfInterruptedWaiter()), mutexModel, 1, true),
                new Variant("Mutex that is not re-entrant",
                        () -> mutex(new BrokenMutexes.NotReentrant()), mutexModel, 1, true),
                new Variant("Mutex that any coro may unlock",
                        () -> mutex(new BrokenMutexes.UnlockedByAnyone()), mutexModel, 1, true),
                new Variant("RwLock that lets readers barge past a waiting writer",
                        () -> rwLock(new BrokenRwLocks.ReadersBargePastWaitingWriter()), rwModel, 2, true),
                new Variant("RwLock that keeps the write lock of a writer interrupted after the grant",
                        () -> rwLock(new BrokenRwLocks.KeepsWriteOfInterruptedWriter()), rwModel, 2, true),
                new Variant("RwLock that does not serve the readers behind a writer that left",
                        () -> rwLock(new BrokenRwLocks.NoServeWhenWaiterLeaves()), rwModel, 2, true),
                new Variant("RwLock whose re-entering reader queues behind a waiting writer",
                        () -> rwLock(new BrokenRwLocks.ReaderReentryQueues()), rwModel, 2, true),
                new Variant("bounded Fifo that keeps the slot of a pusher leaving after admission",
                        () -> fifo(new BrokenBoundedFifos.KeepsSlotOfLeavingPusher(2)), fifoModel, 2, false),
                new Variant("bounded Fifo that drops the item of a popper interrupted after the hand-off",
                        () -> fifo(new BrokenBoundedFifos.DropsItemOfLeavingPopper(2)), fifoModel, 2, false),
                new Variant("bounded Fifo that lets pushes barge past waiting pushers",
                        () -> fifo(new BrokenBoundedFifos.PushersBarge(2)), fifoModel, 2, false),
                new Variant("bounded Fifo that drops an interrupted pusher's item but reports it pushed",
                        () -> fifo(new BrokenBoundedFifos.DropsItemOfAdmittedPusher(2)), fifoModel, 2, false));
        List<String> missed = new ArrayList<>();
        int caught = 0;
        for (Variant v : variants) {
            List<String> diff = new ArrayList<>();
            int failed = failures(v.subject(), v.model(), v.maxMode(), v.foreign(), diff);
            System.out.printf("broken variant %-80s caught by %3d of %d scripts%s%n", v.name(), failed, SCRIPTS,
                    diff.isEmpty() ? "" : "; first: " + diff.getFirst().lines().findFirst().orElse(""));
            if (failed > 0) {
                caught++;
            } else {
                missed.add(v.name());
            }
        }
        System.out.printf("broken variants caught: %d of %d%n", caught, variants.size());
        assertTrue(missed.isEmpty(), "the lock model properties missed: " + missed);
    }
}
