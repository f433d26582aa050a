package dev.coro.tck.faults;

import java.nio.channels.SelectableChannel;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

/**
 * Fault injection at the poller and socket layer, for tests: a scheduler built with
 * {@code Scheduler.builder().poller(FaultInjector.POLLER)} while an injector is installed polls
 * through the plan's poller wrapped in the injector's faults, and every {@code CoroSocket} and
 * {@code CoroServerSocket} made in its runs reads, writes, accepts and closes through them (see
 * {@link FaultPlan} for the kinds; sockets made outside a run and datagram sockets are left alone).
 *
 * <pre>{@code
 * try (FaultInjector faults = FaultInjector.install(FaultPlan.over("nio").seed(42)
 *          .eagainStorms(0.05).oneByteWrites(0.2).spuriousReadiness(0.05).interruptedPolls(0.05)
 *          .resets(0.1, 16 * 1024).emfileOnAccept(0.2));
 *      Scheduler s = Scheduler.builder().poller(FaultInjector.POLLER).build()) {
 *     s.run(() -> ...);                  // your server and clients
 *     assertTrue(..., faults.report());  // the report names the seed that replays the run
 * }
 * }</pre>
 *
 * The poller {@code faults} is found by {@link java.util.ServiceLoader} from the test class path:
 * register {@link FaultInjectingPollerProvider} in {@code META-INF/services/dev.coro.spi.PollerProvider}
 * of your test resources (it is not registered by the kit's jar, so that it never joins the default
 * choice of poller; it has the lowest priority, and cannot run while no injector is installed).
 *
 * <p>One injector is installed at a time in a JVM ({@link #install} refuses a second); {@link #close}
 * uninstalls it. Faults reach only the call they are injected into: a reset fails only the coro
 * using that socket, the others are delayed (EAGAIN, spurious readiness, interrupted polls, 1-byte
 * writes, EMFILE backing off) but lose nothing. Counts and records are thread-safe.
 *
 * <p>Reproducible: every decision is drawn from random streams of {@link FaultPlan#seed}, one for each
 * run's poller and one for each socket (by the order in which the run made them), so the same seed
 * makes the same decisions for the same sequence of calls. Real sockets split traffic into calls by
 * timing, so a seed replays a run's faults closely, not always exactly; print {@link #report()} when
 * a test fails.
 */
public final class FaultInjector implements AutoCloseable {
    /** The poller name to build a scheduler with: {@code Scheduler.builder().poller(FaultInjector.POLLER)}. */
    public static final String POLLER = "faults";

    private static final AtomicReference<FaultInjector> INSTALLED = new AtomicReference<>();

    private final FaultPlan plan;
    private final Map<Fault, AtomicLong> counts = new EnumMap<>(Fault.class);
    private final Set<SelectableChannel> reset = ConcurrentHashMap.newKeySet();
    private final Map<SelectableChannel, HeldClose> holds = new ConcurrentHashMap<>();
    private final AtomicInteger runs = new AtomicInteger();
    private volatile boolean paused;

    private FaultInjector(FaultPlan plan) {
        this.plan = plan;
        for (Fault f : Fault.values()) {
            counts.put(f, new AtomicLong());
        }
    }

    /**
     * Installs an injector of {@code plan} for the schedulers built with poller {@link #POLLER} from
     * now until it is closed.
     *
     * @throws IllegalStateException if one is installed already (close it first)
     */
    public static FaultInjector install(FaultPlan plan) {
        Objects.requireNonNull(plan, "fault plan");
        FaultInjector f = new FaultInjector(plan);
        FaultInjector other = INSTALLED.compareAndExchange(null, f);
        if (other != null) {
            throw new IllegalStateException("a FaultInjector is installed already (" + other.plan
                    + "): close it before installing another; one is installed at a time in a JVM");
        }
        return f;
    }

    /** The installed injector, or null. */
    static FaultInjector installed() {
        return INSTALLED.get();
    }

    public FaultPlan plan() {
        return plan;
    }

    /** How many faults of {@code kind} were injected so far. */
    public long count(Fault kind) {
        return counts.get(Objects.requireNonNull(kind, "fault kind")).get();
    }

    /** Whether this injector reset {@code channel} (a socket's {@code channel()}). */
    public boolean wasReset(SelectableChannel channel) {
        return reset.contains(Objects.requireNonNull(channel, "channel"));
    }

    /**
     * Holds the next close of {@code channel} (a socket's {@code channel()}, made in a run of this
     * injector) before the channel is closed, in the thread that closes it, until
     * {@link HeldClose#release()}: a close that takes its time, as one blocked in the kernel.
     */
    public HeldClose holdNextClose(SelectableChannel channel) {
        Objects.requireNonNull(channel, "channel");
        HeldClose h = new HeldClose(channel);
        if (holds.putIfAbsent(channel, h) != null) {
            throw new IllegalStateException("the next close of " + channel + " is held already");
        }
        return h;
    }

    /**
     * Stops injecting new faults until {@link #resume()} (a socket already reset stays reset, a held
     * close stays held): e.g. to check that a scheduler that went through faults still works.
     */
    public void pause() {
        paused = true;
    }

    /** Injects faults again after {@link #pause()}. */
    public void resume() {
        paused = false;
    }

    /** The plan, its seed, and what was injected so far, by kind. */
    public String report() {
        String injected = counts.entrySet().stream()
                .filter(e -> e.getValue().get() > 0 || plan.injects(e.getKey()))
                .map(e -> e.getValue().get() + " " + e.getKey().description())
                .collect(Collectors.joining(", "));
        return "FaultInjector over '" + plan.poller() + "' with seed " + plan.seed() + " (replay: FaultPlan.seed("
                + plan.seed() + ")): " + (injected.isEmpty() ? "nothing injected" : injected) + "; " + plan;
    }

    /** Uninstalls this injector (idempotent); runs in progress keep their faults until they end. */
    @Override
    public void close() {
        INSTALLED.compareAndSet(this, null);
        holds.values().forEach(HeldClose::release); // never leave a closing thread held
    }

    @Override
    public String toString() {
        return report();
    }

    // ---------------------------------------------------------------- for the poller and the sockets

    boolean active() {
        return !paused;
    }

    /** The number of the next run (a new poller): part of every random stream's seed. */
    int nextRun() {
        return runs.getAndIncrement();
    }

    void injected(Fault kind) {
        counts.get(kind).incrementAndGet();
    }

    void recordReset(SelectableChannel channel) {
        reset.add(channel);
    }

    /** The hold of {@code channel}'s next close, taken (so it holds once), or null. */
    HeldClose takeHold(SelectableChannel channel) {
        return holds.remove(channel);
    }
}
