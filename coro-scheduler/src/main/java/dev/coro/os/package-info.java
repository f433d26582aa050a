/**
 * Waits beyond sockets: a coro waits for a Unix signal, a process's exit or a file's change as it
 * waits for a socket, on every poller (see {@link dev.coro.os.OsEvents}).
 */
package dev.coro.os;
