package dev.coro.tck.faults;

import java.util.Objects;

/**
 * What a {@link FaultInjector} injects, and the seed it draws with: immutable, each {@code with}-style
 * method returns a copy. A plan starts with no faults: {@code FaultPlan.over("nio").seed(42)
 * .eagainStorms(0.05).oneByteWrites(0.2)}. Rates are probabilities in [0, 1], drawn per call (per
 * read, write or accept of a socket, per poll, per socket made) from a random stream of the seed, the
 * scheduler run and the socket, so that a seed gives the same decisions for the same calls.
 *
 * @param poller            the poller the injector wraps ({@code nio}, {@code kqueue}, …)
 * @param seed              the seed of every decision
 * @param eagainStorms      per read, write or accept: the chance that a storm of 1 to
 *                          {@value #MAX_STORM} calls in a row return 0 (null) as if the socket would
 *                          block, although the poller said it was ready ({@link Fault#EAGAIN})
 * @param oneByteWrites     per write of more than one byte: the chance that it moves only the first
 *                          byte ({@link Fault#ONE_BYTE_WRITE})
 * @param spuriousReadiness per poll: the chance that one armed registration the OS did not report is
 *                          reported ready anyway ({@link Fault#SPURIOUS_READINESS})
 * @param interruptedPolls  per poll: the chance that it returns at once with nothing,
 *                          as an interrupted (EINTR) poll ({@link Fault#INTERRUPTED_POLL})
 * @param resets            per stream socket made: the chance that it is reset once it has moved a
 *                          random number of bytes below {@code resetWithinBytes}; its next read or
 *                          write, and every later one, fails with "Connection reset by peer", and its
 *                          close then sends the peer a real reset ({@code SO_LINGER} 0)
 *                          ({@link Fault#RESET})
 * @param resetWithinBytes  how far into a socket's traffic (bytes read plus written) a reset may come
 * @param emfileOnAccept    per accept: the chance that it fails with "Too many open files"
 *                          ({@link Fault#EMFILE})
 */
public record FaultPlan(String poller, long seed, double eagainStorms, double oneByteWrites,
                        double spuriousReadiness, double interruptedPolls, double resets, int resetWithinBytes,
                        double emfileOnAccept) {

    /** The longest EAGAIN storm: calls in a row that return 0. */
    public static final int MAX_STORM = 8;

    /** Checks every field: a named poller other than the injector's own, rates in [0, 1], a positive reset window. */
    public FaultPlan {
        Objects.requireNonNull(poller, "FaultPlan.poller (the poller to wrap, e.g. \"nio\")");
        if (poller.equals(FaultInjector.POLLER)) {
            throw new IllegalArgumentException("FaultPlan.poller must name the poller to wrap (e.g. \"nio\"), not '"
                    + FaultInjector.POLLER + "' itself");
        }
        rate("eagainStorms", eagainStorms);
        rate("oneByteWrites", oneByteWrites);
        rate("spuriousReadiness", spuriousReadiness);
        rate("interruptedPolls", interruptedPolls);
        rate("resets", resets);
        rate("emfileOnAccept", emfileOnAccept);
        if (resetWithinBytes < 1) {
            throw new IllegalArgumentException("FaultPlan.resetWithinBytes must be at least 1, got " + resetWithinBytes);
        }
    }

    /** A plan over {@code poller} with seed 0 and no faults. */
    public static FaultPlan over(String poller) {
        return new FaultPlan(poller, 0, 0, 0, 0, 0, 0, 64 * 1024, 0);
    }

    public FaultPlan seed(long seed) {
        return new FaultPlan(poller, seed, eagainStorms, oneByteWrites, spuriousReadiness, interruptedPolls, resets,
                resetWithinBytes, emfileOnAccept);
    }

    public FaultPlan eagainStorms(double perCall) {
        return new FaultPlan(poller, seed, perCall, oneByteWrites, spuriousReadiness, interruptedPolls, resets,
                resetWithinBytes, emfileOnAccept);
    }

    public FaultPlan oneByteWrites(double perWrite) {
        return new FaultPlan(poller, seed, eagainStorms, perWrite, spuriousReadiness, interruptedPolls, resets,
                resetWithinBytes, emfileOnAccept);
    }

    public FaultPlan spuriousReadiness(double perPoll) {
        return new FaultPlan(poller, seed, eagainStorms, oneByteWrites, perPoll, interruptedPolls, resets,
                resetWithinBytes, emfileOnAccept);
    }

    public FaultPlan interruptedPolls(double perPoll) {
        return new FaultPlan(poller, seed, eagainStorms, oneByteWrites, spuriousReadiness, perPoll, resets,
                resetWithinBytes, emfileOnAccept);
    }

    /** Resets {@code perSocket} of the stream sockets, each within its first {@code withinBytes} bytes. */
    public FaultPlan resets(double perSocket, int withinBytes) {
        return new FaultPlan(poller, seed, eagainStorms, oneByteWrites, spuriousReadiness, interruptedPolls,
                perSocket, withinBytes, emfileOnAccept);
    }

    public FaultPlan emfileOnAccept(double perAccept) {
        return new FaultPlan(poller, seed, eagainStorms, oneByteWrites, spuriousReadiness, interruptedPolls, resets,
                resetWithinBytes, perAccept);
    }

    /** Whether this plan injects faults of {@code kind} at all ({@link Fault#HELD_CLOSE}: only on request). */
    public boolean injects(Fault kind) {
        return switch (kind) {
            case EAGAIN -> eagainStorms > 0;
            case ONE_BYTE_WRITE -> oneByteWrites > 0;
            case SPURIOUS_READINESS -> spuriousReadiness > 0;
            case INTERRUPTED_POLL -> interruptedPolls > 0;
            case RESET -> resets > 0;
            case EMFILE -> emfileOnAccept > 0;
            case HELD_CLOSE -> false;
        };
    }

    private static void rate(String name, double p) {
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException("FaultPlan." + name + " must be a probability in [0, 1], got " + p);
        }
    }
}
