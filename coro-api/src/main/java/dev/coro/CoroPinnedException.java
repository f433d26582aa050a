package dev.coro;

/**
 * A coro tried to switch while something on its stack forbids it: a native frame (JNI, a class
 * initializer), or — with the native switch backend in strict mode — a {@code synchronized}
 * monitor. The switch did not happen; the coro goes on running where it was. Never hold a
 * {@code synchronized} monitor across a switch: use {@code dev.coro.sync.Mutex}.
 */
public class CoroPinnedException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    public CoroPinnedException(String message) {
        super(message);
    }
}
