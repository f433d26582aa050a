package dev.coro.scheduler;

import dev.coro.Coro;

/**
 * Something a coro can wait on that describes itself in a dump: the wait queues of
 * {@code dev.coro.sync} and the sockets of {@code dev.coro.net}. Not a user API.
 *
 * <p>A wait records only a reference to its subject (no allocation, no string building); these
 * methods are called only when a dump is asked for, on the scheduler thread.
 */
public interface WaitSubject {
    /** The kind of wait, e.g. {@code Mutex}, {@code socket}. */
    String waitKind();

    /** One line naming what is waited on; {@code ops} are the poller ops of a socket wait, else 0. */
    String describeWait(int ops);

    /** The coro holding what is waited on (a Mutex's owner), or null. */
    default Coro<?> holder() {
        return null;
    }

    /** A socket's remote address, or null. */
    default String remoteAddress() {
        return null;
    }

    /** A socket wait's operation for {@code ops}: read, write, accept or connect; else null. */
    default String operation(int ops) {
        return null;
    }
}
