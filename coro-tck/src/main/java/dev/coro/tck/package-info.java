/** The coro compatibility kit: abstract {@code *Verification} classes a backend's tests extend (to be filled in by the TCK issue). */
package dev.coro.tck;
