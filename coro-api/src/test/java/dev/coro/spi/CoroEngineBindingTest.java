package dev.coro.spi;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

/**
 * The binding of an engine to a thread, and the one-pair cache in front of its ThreadLocal
 * ({@code CoroEngine.Binding.last}): a thread only ever gets its own binding, and an unbind leaves
 * nothing behind that would keep an ended run's engine reachable.
 */
class CoroEngineBindingTest {

    @AfterEach
    void unbind() {
        CoroEngine.bind(null);
    }

    private static CoroEngine engine(String name) {
        return (CoroEngine) Proxy.newProxyInstance(CoroEngine.class.getClassLoader(), new Class<?>[] {CoroEngine.class},
                (proxy, method, args) -> method.getName().equals("toString") ? name : null);
    }

    @Test
    void unbindClearsTheCacheAsWellAsTheThreadLocal() {
        CoroEngine e = engine("e");
        CoroEngine.bind(e);
        assertSame(e, CoroEngine.boundOrNull());
        assertSame(e, CoroEngine.bound());
        CoroEngine.bind(null);
        assertNull(CoroEngine.boundOrNull(), "unbound, yet an engine answers");
        assertNull(CoroEngine.Binding.last.engine(), "the cache still holds the unbound engine (a leak of its run)");
    }

    @Test
    void aThreadNeverGetsAnotherThreadsBindingWhileBothAreBound() throws Exception {
        CoroEngine mine = engine("mine");
        CoroEngine theirs = engine("theirs");
        CoroEngine.bind(mine);
        CountDownLatch bound = new CountDownLatch(1);
        CountDownLatch checked = new CountDownLatch(1);
        AtomicReference<CoroEngine> seenThere = new AtomicReference<>();
        Thread other = Thread.ofPlatform().start(() -> {
            CoroEngine.bind(theirs); // now the cache's pair: this thread's
            seenThere.set(CoroEngine.boundOrNull());
            bound.countDown();
            try {
                checked.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            CoroEngine.bind(null);
        });
        bound.await();
        assertSame(theirs, seenThere.get());
        assertSame(mine, CoroEngine.boundOrNull(), "the other thread's binding answered on this one");
        checked.countDown();
        other.join();
        assertSame(mine, CoroEngine.boundOrNull(), "the other thread's unbind took this one's binding");
    }

    @Test
    void aVirtualThreadsBindingStaysOutOfTheCache() throws Exception {
        CoroEngine loomCoro = engine("loom coro");
        AtomicReference<CoroEngine> seen = new AtomicReference<>();
        Thread vt = Thread.ofVirtual().start(() -> {
            CoroEngine.bind(loomCoro); // as a loom coro does at its start, never unbinding
            seen.set(CoroEngine.boundOrNull());
        });
        vt.join();
        assertSame(loomCoro, seen.get());
        assertNull(CoroEngine.Binding.last.engine(), "a virtual thread's binding went into the cache, where it outlives its run");
        assertNull(CoroEngine.boundOrNull());
    }
}
